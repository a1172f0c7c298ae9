import { useEffect, useRef, useState } from "preact/hooks";
import { api, errorText, type Order } from "../api";
import { cart, cartActions } from "../cart";
import { Link, Notice } from "../components/common";
import { HoldPanel } from "../components/HoldPanel";
import { Approx, ApproxNote } from "../components/Price";
import { formatMoney } from "../format";
import { t, tMaybe } from "../i18n/i18n";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { SignInNeeded } from "./SignInPage";

const testCards = [
  { number: "4242 4242 4242 4242", outcome: "checkout.testCardApproves" as const },
  { number: "4000 0000 0000 0002", outcome: "checkout.testCardDeclines" as const },
];

/** Test cards are shown where the simulated card processor runs: a local development system. */
function showsTestCards() {
  return ["localhost", "127.0.0.1", "[::1]"].includes(window.location.hostname);
}

export function reasonText(reason: string | null | undefined) {
  if (!reason) return "";
  return tMaybe(`reason.${reason}`) ?? t("reason.unknown", { code: reason });
}

export function CheckoutPage() {
  const fan = useSignal(currentFan);
  const basket = useSignal(cart);
  const [card, setCard] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [order, setOrder] = useState<Order | null>(null);
  const [concertId, setConcertId] = useState<string | null>(null);
  const [slow, setSlow] = useState(false);
  const progressRef = useRef<HTMLElement>(null);

  // Follow the order until it is confirmed or cancelled.
  useEffect(() => {
    if (!order || order.status !== "Pending") return;
    const started = Date.now();
    const timer = window.setInterval(async () => {
      try {
        const latest = await api.order(order.orderId);
        if (latest.status !== "Pending") {
          window.clearInterval(timer);
          setOrder(latest);
        }
        if (Date.now() - started > 60_000) setSlow(true);
      } catch {
        // keep polling: a failed read of the order's progress is not the order's failure
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [order?.orderId, order?.status]);

  useEffect(() => {
    progressRef.current?.focus();
  }, [order?.status]);

  if (!fan) return (<><h1>{t("checkout.title")}</h1><SignInNeeded /></>);

  if (order) {
    return (
      <section aria-labelledby="progress-heading" ref={progressRef} tabIndex={-1}>
        <h1 id="progress-heading">{t("checkout.progress")}</h1>
        <ol class="steps">
          <li class={order.status === "Pending" ? "current" : "done"}>{t("orders.status.Pending")}</li>
          <li class={order.status === "Pending" ? "" : "current"}>
            {order.status === "Cancelled" ? t("orders.status.Cancelled") : t("orders.status.Confirmed")}
          </li>
        </ol>
        <p class={`order-status status-${order.status.toLowerCase()}`} data-testid="order-status" data-status={order.status} role="status">
          {order.status === "Cancelled" ? t("checkout.step.Cancelled", { reason: reasonText(order.reason) }) : t(order.status === "Pending" ? "checkout.step.Pending" : "checkout.step.Confirmed")}
        </p>
        {slow && order.status === "Pending" && <Notice kind="info">{t("checkout.stillPending")}</Notice>}
        <div class="actions">
          {order.status === "Confirmed" && <Link class="button" href="/tickets">{t("checkout.toTickets")}</Link>}
          <Link class="button secondary" href="/orders">{t("checkout.toOrders")}</Link>
          {order.status === "Cancelled" && concertId && <Link class="button" href={`/concerts/${concertId}`}>{t("checkout.backToConcert")}</Link>}
        </div>
      </section>
    );
  }

  const hold = basket.hold;
  const currencies = new Set([...(hold ? [hold.currency] : []), ...basket.merch.map((m) => m.currency)]);
  const currency = [...currencies][0] ?? "USD";
  const total = (hold?.total ?? 0) + basket.merch.reduce((sum, m) => sum + m.price * m.quantity, 0);
  const empty = !hold && basket.merch.length === 0;

  async function pay(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const accepted = await api.placeOrder(hold?.holdId ?? null, basket.merch.map((m) => ({ productId: m.productId, quantity: m.quantity, variant: m.variant ?? null })), card);
      setConcertId(hold?.concertId ?? null);
      const placed = await api.order(accepted.orderId).catch(() => null);
      cartActions.clear();
      setOrder(placed ?? { orderId: accepted.orderId, status: "Pending", lines: [], total, currency, cardLast4: "", createdAt: "", updatedAt: "" });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{t("checkout.title")}</h1>
      {empty && <HoldPanel showCheckout={false} />}
      {empty ? <p>{t("checkout.empty")}</p> : (
        <>
          {hold && <HoldPanel showCheckout={false} />}
          {basket.merch.length > 0 && (
            <section aria-labelledby="merch-lines">
              <h2 id="merch-lines">{t("checkout.merch")}</h2>
              <ul class="lines">
                {basket.merch.map((line) => (
                  <li key={`${line.productId}:${line.variant ?? ""}`} data-testid="merch-line">
                    <span>{t("checkout.line", { quantity: line.quantity, name: line.name, amount: formatMoney(line.price * line.quantity, line.currency) })}</span>
                    <button type="button" class="link-button" onClick={() => cartActions.removeMerch(line.productId, line.variant ?? null)}>
                      {t("checkout.remove", { name: line.name })}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <p class="total"><span data-testid="checkout-total">{t("checkout.total", { amount: formatMoney(total, currency) })}</span><Approx amount={total} currency={currency} /></p>
          <ApproxNote currency={currency} />
          {currencies.size > 1 && <Notice kind="error">{t("checkout.mixedCurrency")}</Notice>}
          <form onSubmit={pay} class="stack narrow">
            <label for="card-number">{t("checkout.card")}</label>
            <input id="card-number" name="cardnumber" inputMode="numeric" autoComplete="cc-number" required
              aria-describedby="card-hint" value={card} onInput={(e) => setCard((e.target as HTMLInputElement).value)} />
            <small id="card-hint">{t("checkout.cardHint")}</small>
            {showsTestCards() && (
              <div class="test-cards" data-testid="test-cards">
                <p><strong>{t("checkout.testCards")}</strong></p>
                <ul>
                  {testCards.map((test) => (
                    <li key={test.number}>
                      <button type="button" class="link-button" onClick={() => setCard(test.number)}>{test.number}</button> {t(test.outcome)}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {error && <Notice kind="error" testId="checkout-error">{error}</Notice>}
            <button type="submit" class="button" data-testid="pay" disabled={busy || currencies.size > 1}>
              {busy ? t("checkout.paying") : t("checkout.pay", { amount: formatMoney(total, currency) })}
            </button>
          </form>
        </>
      )}
    </>
  );
}
