import QRCode from "qrcode";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, errorText, type Concert, type Ticket } from "../api";
import { Notice, usePolling } from "../components/common";
import { formatMoney, formatTime } from "../format";
import { messages } from "../messages";
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
      <h1>{messages.tickets.title}</h1>
      {!fan ? <SignInNeeded /> : (
        <>
          {error && <Notice kind="error">{error}</Notice>}
          <p class="muted">{messages.tickets.hint}</p>
          {tickets === null ? <p>{messages.loading}</p> : tickets.length === 0 ? <p>{messages.tickets.none}</p> : (
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
        {concert && <p class="eyebrow">{concert.artist}</p>}
        <h2 class="h3">{concert ? concert.title : ticket.concertId}</h2>
        {concert && <p>{concert.venue}, {concert.city} · {formatTime(concert.startsAt)}</p>}
        <p class="seat-id" data-testid="ticket-seat">{messages.tickets.seat(ticket.seatId)}</p>
        <p>{messages.tickets.tier(ticket.tier, formatMoney(ticket.price, ticket.currency))}</p>
        <p class={`badge badge-${ticket.status === "Valid" ? "live" : "grey"}`}>{messages.tickets.status[ticket.status] ?? ticket.status}</p>
      </div>
      {qr && <img class="qr" src={qr} width={240} height={240} alt={messages.tickets.qrAlt(ticket.seatId)} data-testid="ticket-qr" />}
    </li>
  );
}
