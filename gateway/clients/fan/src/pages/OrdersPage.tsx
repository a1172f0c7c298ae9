import { useState } from "preact/hooks";
import { api, errorText, type Order } from "../api";
import { Notice, usePolling } from "../components/common";
import { formatMoney, formatTime } from "../format";
import { t, type MessageKey } from "../i18n/i18n";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { DrawnCards } from "../merch/MerchDrop";
import { reasonText } from "./CheckoutPage";
import { SignInNeeded } from "./SignInPage";

export function OrdersPage() {
  const fan = useSignal(currentFan);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  usePolling(async () => {
    if (!fan) return;
    try {
      setOrders((await api.myOrders()).items);
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
      throw failure; // asked again soon (usePolling)
    }
  }, 5000, [fan?.name]);

  return (
    <>
      <h1>{t("orders.title")}</h1>
      {!fan ? <SignInNeeded /> : (
        <>
          {error && <Notice kind="error">{error}</Notice>}
          {orders === null ? <p>{t("loading")}</p> : orders.length === 0 ? <p>{t("orders.none")}</p> : (
            <ul class="cards">
              {orders.map((order) => (
                <li key={order.orderId} class="card" data-testid="order" data-status={order.status}>
                  <p class={`chip chip-${order.status === "Confirmed" ? "live" : order.status === "Pending" ? "soon" : "off"}`}>
                    {t(`orders.status.${order.status}` as MessageKey)}
                  </p>
                  {order.status === "Cancelled" && <p>{reasonText(order.reason)}</p>}
                  <p class="muted">{t("orders.placed", { when: formatTime(order.createdAt) })}</p>
                  <ul class="lines">
                    {order.lines.map((line) => (
                      <li key={`${line.reference}:${line.variant ?? ""}`}>
                        {t("checkout.line", { quantity: line.quantity, name: line.description, amount: formatMoney(line.unitPrice * line.quantity, line.currency) })}
                      </li>
                    ))}
                  </ul>
                  <DrawnCards cards={order.inclusions ?? []} />
                  <p class="total">{formatMoney(order.total, order.currency || "USD")}</p>
                  <p class="muted">{t("orders.card", { last4: order.cardLast4 })}</p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
