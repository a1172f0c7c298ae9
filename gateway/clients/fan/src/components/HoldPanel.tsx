import { useState } from "preact/hooks";
import { api, errorText } from "../api";
import { cart, cartActions } from "../cart";
import { formatCountdown, formatMoney } from "../format";
import { holdNotice } from "../holdWatch";
import { messages } from "../messages";
import { navigate } from "../router";
import { useSignal } from "../signal";
import { Notice, useNow } from "./common";

/** The fan's current hold: what is held, how long is left, release or go to checkout. */
export function HoldPanel({ showCheckout = true, onReleased }: { showCheckout?: boolean; onReleased?: () => void }) {
  const { hold } = useSignal(cart);
  const notice = useSignal(holdNotice);
  const now = useNow(250);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!hold) {
    if (notice === "expired") return <Notice kind="error" testId="hold-notice">{messages.hold.expired}</Notice>;
    if (notice === "released") return <Notice kind="info" testId="hold-notice">{messages.hold.released}</Notice>;
    return null;
  }

  async function release() {
    if (!hold) return;
    setBusy(true);
    setError(null);
    try {
      await api.releaseHold(hold.holdId);
      cartActions.clearHold();
      holdNotice.set("released");
      onReleased?.();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  const left = Date.parse(hold.expiresAt) - now;
  return (
    <section class="hold" aria-labelledby="hold-heading" data-testid="hold-panel" data-hold-id={hold.holdId}>
      <h2 id="hold-heading">{messages.hold.title} · {hold.concertTitle}</h2>
      <p class="countdown" data-testid="hold-countdown" role="timer" aria-live="off">{messages.hold.expiresIn(formatCountdown(left))}</p>
      <ul class="held-seats">
        {hold.seats.map((seat) => (
          <li key={seat.seatId} data-testid="held-seat" data-seat-id={seat.seatId}>
            {messages.hold.seat(seat.seatId, seat.tier, formatMoney(seat.price, seat.currency))}
          </li>
        ))}
      </ul>
      <p class="total">{messages.hold.total(formatMoney(hold.total, hold.currency))}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <div class="actions">
        <button type="button" class="button secondary" onClick={release} disabled={busy}>{messages.hold.release}</button>
        {showCheckout && <button type="button" class="button" onClick={() => navigate("/checkout")}>{messages.hold.checkout}</button>}
      </div>
    </section>
  );
}
