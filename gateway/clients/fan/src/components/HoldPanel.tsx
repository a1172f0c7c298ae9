import { useState } from "preact/hooks";
import { api, errorText } from "../api";
import { cart, cartActions } from "../cart";
import { formatCountdown, formatMoney } from "../format";
import { holdNotice } from "../holdWatch";
import { t } from "../i18n/i18n";
import { navigate } from "../router";
import { useSignal } from "../signal";
import { Notice, useNow } from "./common";
import { CountdownBar } from "../design/ui";

/** The fan's current hold: what is held, how long is left, release or go to checkout. */
export function HoldPanel({ showCheckout = true, onReleased }: { showCheckout?: boolean; onReleased?: () => void }) {
  const { hold } = useSignal(cart);
  const notice = useSignal(holdNotice);
  const now = useNow(250);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!hold) {
    if (notice === "expired") return <Notice kind="error" testId="hold-notice">{t("hold.expired")}</Notice>;
    if (notice === "released") return <Notice kind="info" testId="hold-notice">{t("hold.released")}</Notice>;
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
      <h2 id="hold-heading">{t("hold.title")} · {hold.concertTitle}</h2>
      <CountdownBar leftMs={left} text={t("hold.expiresIn", { countdown: formatCountdown(left) })} label={t("hold.progressLabel")} testId="hold-countdown" />
      <ul class="held-seats">
        {hold.seats.map((seat) => (
          <li key={seat.seatId} data-testid="held-seat" data-seat-id={seat.seatId}>
            {t("hold.seat", { seat: seat.seatId, tier: seat.tier, price: formatMoney(seat.price, seat.currency) })}
          </li>
        ))}
      </ul>
      <p class="total">{t("hold.total", { amount: formatMoney(hold.total, hold.currency) })}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <div class="actions">
        <button type="button" class="button secondary" onClick={release} disabled={busy}>{t("hold.release")}</button>
        {showCheckout && <button type="button" class="button" onClick={() => navigate("/checkout")}>{t("hold.checkout")}</button>}
      </div>
    </section>
  );
}
