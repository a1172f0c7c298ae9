// The fan's tickets kept on the device, so "My tickets" shows the QR codes at the gate without a network: each
// successful read of /api/tickets/mine (and the concerts they are for) replaces the kept copy with the time of that
// sync. A ticket voided since is shown as voided after the next sync. Signing out removes the copy.
import type { Concert, Ticket } from "./api";

export interface KeptTickets { fan: string; syncedAt: string; tickets: Ticket[]; concerts: Record<string, Concert> }

const key = "ticketing.tickets";

export function keptTickets(fan: string): KeptTickets | null {
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? "null") as KeptTickets | null;
    return kept && kept.fan === fan ? kept : null;
  } catch {
    return null;
  }
}

export function keepTickets(kept: KeptTickets) {
  try {
    localStorage.setItem(key, JSON.stringify(kept));
  } catch {
    // storage full or private mode: the page still shows what it just read
  }
}

export function forgetTickets() {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}
