import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, errorText, type Concert, type Order, type Ticket } from "../api";
import { Notice, usePolling } from "../components/common";
import { StateChip } from "../design/ui";
import { formatMoney, formatTime, localName } from "../format";
import { formatLocale, t, type MessageKey } from "../i18n/i18n";
import { keepTickets, keptTickets } from "../offline";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { SignInNeeded } from "./SignInPage";

export function TicketsPage() {
  const fan = useSignal(currentFan);
  const kept = fan ? keptTickets(fan.name) : null;
  const [tickets, setTickets] = useState<Ticket[] | null>(kept?.tickets ?? null);
  const [concerts, setConcerts] = useState<Record<string, Concert>>(kept?.concerts ?? {});
  const [syncedAt, setSyncedAt] = useState<string | null>(kept?.syncedAt ?? null);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const known = useRef<Record<string, Concert>>(kept?.concerts ?? {});
  const [issuing, setIssuing] = useState<Order[]>([]);
  // The fan whose orders were last found to await no ticket: not asked again while they stay on the page.
  const settledFor = useRef<string | null>(null);

  // Tickets are issued a moment after the order is confirmed: keep looking while the page is open. Each answer is
  // kept on the device with its time; without a network the kept tickets stay on screen, marked with that time.
  usePolling(async () => {
    if (!fan) return;
    try {
      const mine = await api.myTickets();
      // The fan's recent paid seat orders whose tickets are not here yet: asked when the page opens and then only
      // while some are awaited, so a fan who keeps the page open does not read their orders every 3 s.
      if (settledFor.current !== fan.name) {
        const awaited = await api.myOrders()
          .then((orders) => awaitingTickets(orders.items, mine, Date.now()))
          .catch(() => null); // the orders out of reach must not hide the tickets
        if (awaited) {
          settledFor.current = awaited.length ? null : fan.name;
          setIssuing(awaited);
        }
      }
      const missing = [...new Set(mine.map((ticket) => ticket.concertId))].filter((id) => !known.current[id]);
      if (missing.length) {
        const found = await Promise.all(missing.map((id) => api.concert(id).catch(() => null)));
        found.forEach((concert) => { if (concert) known.current[concert.id] = concert; });
      }
      const now = new Date().toISOString();
      setTickets(mine);
      setConcerts({ ...known.current });
      setSyncedAt(now);
      setOffline(false);
      setError(null);
      keepTickets({ fan: fan.name, syncedAt: now, tickets: mine, concerts: known.current });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 0) setOffline(true);
      else setError(errorText(failure));
    }
  }, 3000, [fan?.name]);

  useEffect(() => {
    const goneOffline = () => setOffline(true);
    window.addEventListener("offline", goneOffline);
    return () => window.removeEventListener("offline", goneOffline);
  }, []);

  return (
    <>
      <h1>{t("tickets.title")}</h1>
      {!fan ? <SignInNeeded /> : (
        <>
          {offline && <Notice kind="info" testId="tickets-offline">{t("tickets.offline")}</Notice>}
          {error && <Notice kind="error">{error}</Notice>}
          {issuing.map((order) => <IssuingNotice key={order.orderId} order={order} />)}
          <p class="muted">{t("tickets.hint")}</p>
          {syncedAt && <p class="muted small" data-testid="tickets-synced">{t("tickets.lastSync", { when: formatTime(syncedAt) })}</p>}
          {tickets === null ? <p>{t("loading")}</p> : tickets.length === 0 ? (issuing.length ? null : <p>{t("tickets.none")}</p>) : (
            <ul class="tickets">
              {tickets.map((ticket) => <TicketCard key={ticket.ticketId} ticket={ticket} concert={concerts[ticket.concertId]} />)}
            </ul>
          )}
        </>
      )}
    </>
  );
}

/** How long after its confirmation a paid order's tickets are still said to be on their way. */
const issuingWindowMs = 10 * 60_000;

/**
 * The fan's seat orders confirmed in the last ten minutes that no ticket of theirs names yet. Tickets are issued a
 * moment after the order is confirmed (Orders tells Tickets to sell the hold); after a broker restart that moment can
 * be several seconds, and "No tickets yet" right after paying would alarm the fan.
 */
export function awaitingTickets(orders: Order[], tickets: Ticket[], now: number): Order[] {
  const issuedFor = new Set(tickets.map((ticket) => ticket.orderId));
  return orders.filter((order) =>
    order.status === "Confirmed"
    && order.lines.some((line) => line.kind === "seat")
    && !issuedFor.has(order.orderId)
    && now - Date.parse(order.updatedAt) < issuingWindowMs);
}

function IssuingNotice({ order }: { order: Order }) {
  const seats = order.lines.filter((line) => line.kind === "seat").map((line) => line.reference);
  return (
    <Notice kind="info" testId="tickets-issuing">
      {t("tickets.issuing", {
        when: formatTime(order.updatedAt),
        count: seats.length,
        seats: new Intl.ListFormat(formatLocale(), { type: "conjunction" }).format(seats),
      })}
    </Notice>
  );
}

function TicketCard({ ticket, concert }: { ticket: Ticket; concert?: Concert }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    // The QR encoder loads with the first ticket shown (its own chunk, precached for offline use like the rest).
    import("qrcode")
      .then((QRCode) => QRCode.toDataURL(ticket.code, { errorCorrectionLevel: "M", margin: 2, width: 240 }))
      .then(setQr, () => setQr(null));
  }, [ticket.code]);

  const voided = ticket.status === "Voided";
  return (
    <li class={`ticket card${voided ? " ticket-voided" : ""}`} data-testid="ticket" data-ticket-id={ticket.ticketId} data-status={ticket.status}>
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
        <StateChip state={ticket.status === "Valid" ? "live" : "off"} testId="ticket-status">{t(`tickets.status.${ticket.status}` as MessageKey)}</StateChip>
      </div>
      {qr && !voided && <img class="qr" src={qr} width={240} height={240} alt={t("tickets.qrAlt", { seat: ticket.seatId })} data-testid="ticket-qr" />}
    </li>
  );
}
