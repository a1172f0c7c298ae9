// Who is signed in: the token lives in localStorage so the fan stays signed in across reloads.
import { cartActions } from "./cart";
import { forgetTickets } from "./offline";
import { signal } from "./signal";

interface Stored { name: string; token: string; expiresAt: number }

const key = "ticketing.session";

function load(): Stored | null {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? "null") as Stored | null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

export const currentFan = signal<Stored | null>(load());

export const session = {
  token: () => {
    const fan = currentFan.value;
    if (fan && fan.expiresAt <= Date.now()) {
      session.signOut();
      return null;
    }
    return fan?.token ?? null;
  },
  signIn(name: string, token: string, expiresInSeconds: number) {
    const stored = { name, token, expiresAt: Date.now() + expiresInSeconds * 1000 };
    localStorage.setItem(key, JSON.stringify(stored));
    cartActions.belongTo(name);
    currentFan.set(stored);
  },
  /**
   * Signs out: the token and the kept tickets go. The cart goes too when the fan chose to sign out (a shared device);
   * when the token ran out it stays, for the fan to sign in again and pay (another fan signing in finds it empty).
   */
  signOut(chosen = false) {
    localStorage.removeItem(key);
    forgetTickets();
    if (chosen) cartActions.forget();
    currentFan.set(null);
  },
};
