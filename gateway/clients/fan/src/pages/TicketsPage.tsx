import QRCode from "qrcode";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, errorText, type Concert, type Ticket } from "../api";
import { Notice, usePolling } from "../components/common";
import { formatMoney, formatTime, localName } from "../format";
import { t, type MessageKey } from "../i18n/i18n";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { SignInNeeded } from "./SignInPage";

export function TicketsPage() {
  const fan = useSignal(currentFan);
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [concerts, setConcerts] = useState<Record<string, Concert>>({});
  const [error, setError] = useState<string | null>(null);
  const known = useRef<Set<string>>(new Set());

  // Tickets are issued a moment after the order is confirmed: keep looking while the page is open.
  usePolling(async () => {
    if (!fan) return;
    try {
      const mine = await api.myTickets();
      setTickets(mine);
      setError(null);
      const missing = [...new Set(mine.map((t) => t.concertId))].filter((id) => !known.current.has(id));
      missing.forEach((id) => known.current.add(id));
      if (missing.length) {
        const found = await Promise.all(missing.map((id) => api.concert(id).catch(() => null)));
        setConcerts((current) => ({ ...current, ...Object.fromEntries(found.filter((c): c is Concert => c !== null).map((c) => [c.id, c])) }));
      }
    } catch (failure) {
      setError(errorText(failure));
    }
  }, 3000, [fan?.name]);

  return (
    <>
      <h1>{t("tickets.title")}</h1>
      {!fan ? <SignInNeeded /> : (
        <>
          {error && <Notice kind="error">{error}</Notice>}
          <p class="muted">{t("tickets.hint")}</p>
          {tickets === null ? <p>{t("loading")}</p> : tickets.length === 0 ? <p>{t("tickets.none")}</p> : (
            <ul class="tickets">
              {tickets.map((ticket) => <TicketCard key={ticket.ticketId} ticket={ticket} concert={concerts[ticket.concertId]} />)}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function TicketCard({ ticket, concert }: { ticket: Ticket; concert?: Concert }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    QRCode.toDataURL(ticket.code, { errorCorrectionLevel: "M", margin: 2, width: 240 }).then(setQr, () => setQr(null));
  }, [ticket.code]);

  return (
    <li class="ticket card" data-testid="ticket" data-ticket-id={ticket.ticketId} data-status={ticket.status}>
      <div>
        {concert && <p class="eyebrow">{localName(concert.names?.artist, concert.artist)}</p>}
        <h2 class="h3">{concert ? localName(concert.names?.title, concert.title) : ticket.concertId}</h2>
        {concert && (
          <p>
            {localName(concert.names?.venue, concert.venue)}, {localName(concert.names?.city, concert.city)} · {formatTime(concert.startsAt, concert.timeZone)}
          </p>
        )}
        <p class="seat-id" data-testid="ticket-seat">{t("tickets.seat", { seat: ticket.seatId })}</p>
        <p>{t("tickets.tier", { tier: ticket.tier, price: formatMoney(ticket.price, ticket.currency) })}</p>
        <p class={`badge badge-${ticket.status === "Valid" ? "live" : "grey"}`}>{t(`tickets.status.${ticket.status}` as MessageKey)}</p>
      </div>
      {qr && <img class="qr" src={qr} width={240} height={240} alt={t("tickets.qrAlt", { seat: ticket.seatId })} data-testid="ticket-qr" />}
    </li>
  );
}
