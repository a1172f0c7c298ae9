// Who is signed in: the token lives in localStorage so the fan stays signed in across reloads.
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
    currentFan.set(stored);
  },
  signOut() {
    localStorage.removeItem(key);
    forgetTickets();
    currentFan.set(null);
  },
};
