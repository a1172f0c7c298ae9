// Watches the fan's seat hold: when its time runs out the hold leaves the cart and the fan is told why.
import { cart, cartActions } from "./cart";
import { signal } from "./signal";

export type HoldNotice = "expired" | "released" | null;

export const holdNotice = signal<HoldNotice>(null);

export function startHoldWatch() {
  window.setInterval(() => {
    const hold = cart.value.hold;
    if (hold && Date.parse(hold.expiresAt) <= Date.now()) {
      cartActions.clearHold();
      holdNotice.set("expired");
    }
  }, 500);
}
