// What the fan is about to pay for: at most one seat hold and some merch lines. Kept in localStorage, so a
// reload during a drop loses nothing.
import type { Hold, Product } from "./api";
import { signal } from "./signal";

/** A merch line: a product, and the version chosen for a product with versions. */
export interface MerchLine { productId: string; name: string; price: number; currency: string; quantity: number; limitPerFan: number; variant?: string | null }
/** The cart, and the fan it is for (a shared device: another fan who signs in starts with an empty cart). */
export interface Cart { hold: (Hold & { concertTitle: string }) | null; merch: MerchLine[]; fan?: string | null }

const key = "ticketing.cart";

function load(): Cart {
  try {
    const cart = JSON.parse(localStorage.getItem(key) ?? "null") as Cart | null;
    return cart ?? { hold: null, merch: [] };
  } catch {
    return { hold: null, merch: [] };
  }
}

export const cart = signal<Cart>(load());

function save(next: Cart) {
  localStorage.setItem(key, JSON.stringify(next));
  cart.set(next);
}

export const cartActions = {
  setHold(hold: Hold, concertTitle: string) {
    save({ ...cart.value, hold: { ...hold, concertTitle } });
  },
  clearHold() {
    save({ ...cart.value, hold: null });
  },
  addMerch(product: Product, quantity: number, variant: string | null = null) {
    const others = cart.value.merch.filter((line) => !(line.productId === product.id && (line.variant ?? null) === variant));
    const version = product.variants?.find((v) => v.code === variant);
    save({
      ...cart.value,
      merch: [...others, {
        productId: product.id, name: version ? `${product.name} (${version.name})` : product.name, price: product.price, currency: product.currency,
        quantity, limitPerFan: product.limitPerFan, variant,
      }],
    });
  },
  removeMerch(productId: string, variant: string | null = null) {
    save({ ...cart.value, merch: cart.value.merch.filter((line) => !(line.productId === productId && (line.variant ?? null) === variant)) });
  },
  clear() {
    save({ hold: null, merch: [], fan: cart.value.fan });
  },
  /** The cart is now this fan's: one kept for another fan is emptied, never shown or paid for by this one. */
  belongTo(fan: string) {
    const owner = cart.value.fan;
    save(owner && owner !== fan ? { hold: null, merch: [], fan } : { ...cart.value, fan });
  },
  /** Signing out on purpose: nothing of the fan's stays on the device for whoever uses it next. */
  forget() {
    save({ hold: null, merch: [], fan: null });
  },
};
