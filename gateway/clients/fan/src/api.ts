// The gateway's HTTP API as the fan app uses it, and the one place where a failed call becomes a sentence.
import { t, tMaybe } from "./i18n/i18n";
import type { DrawnInclusion, ImageRef, Inclusion, Variant } from "./merch/merchApi";
import { admissionHeaders } from "./queue/admission";
import { session } from "./session";

export interface PriceTier { code: string; name: string; price: number; currency: string }
export interface Row { label: string; seats: number }
export interface Section { code: string; tier: string; capacity: number; rows: Row[] }
/** A name in several languages (BCP 47 tag → name), set by operators; the plain field is the name as first given. */
export type LocalizedNames = Record<string, string>;
export interface ConcertNames { artist?: LocalizedNames | null; title?: LocalizedNames | null; venue?: LocalizedNames | null; city?: LocalizedNames | null }
export interface ProductNames { artist?: LocalizedNames | null; name?: LocalizedNames | null }
export interface Concert {
  id: string; artist: string; title: string; venue: string; city: string; timeZone: string; names?: ConcertNames | null;
  startsAt: string; saleOpensAt: string; ticketLimitPerFan: number; priceTiers: PriceTier[];
  /** Only in a concert's details: list items carry no seat map. */
  sections?: Section[]; status: "Draft" | "Published" | "Cancelled"; onSale: boolean; capacity: number;
  /** A drop with a waiting room: fans queue from opensAt and are let in at the sale. */
  waitingRoom?: { opensAt: string } | null;
}
export interface Product {
  id: string; sku: string; name: string; artist: string; names?: ProductNames | null; description?: string | null; price: number;
  currency: string; available: number; soldOut: boolean; limitPerFan: number; releaseAt?: string | null; released: boolean;
  variants?: Variant[]; images?: ImageRef[]; inclusion?: Inclusion | null; soldByLuckyDraw?: boolean; components?: unknown[];
}
export interface Page<T> { items: T[]; page: number; pageSize: number; totalCount: number }
export interface Seat { seatId: string; section: string; row: string; number: number; tier: string; price: number; currency: string; status: string }
export interface SeatMap { concertId: string; salesStopped: boolean; saleOpensAt: string; ticketLimitPerFan: number; seats: Seat[] }
export interface TierAvailability { tier: string; name: string; price: number; currency: string; capacity: number; available: number; held: number; sold: number }
export interface Availability { concertId: string; saleOpensAt: string; salesStopped: boolean; ticketLimitPerFan: number; capacity: number; available: number; tiers: TierAvailability[] }
export interface HeldSeat { seatId: string; tier: string; price: number; currency: string }
export interface Hold { holdId: string; concertId: string; seatIds: string[]; seats: HeldSeat[]; total: number; currency: string; status: string; expiresAt: string }
export interface OrderLine { kind: string; reference: string; description: string; quantity: number; unitPrice: number; currency: string; amount?: number; variant?: string | null }
export interface Order { orderId: string; status: "Pending" | "Confirmed" | "Cancelled"; reason?: string | null; holdId?: string | null; lines: OrderLine[]; total: number; currency: string; cardLast4: string; createdAt: string; updatedAt: string; inclusions?: DrawnInclusion[] }
export interface Ticket { ticketId: string; concertId: string; orderId: string; seatId: string; tier: string; price: number; currency: string; code: string; status: string; issuedAt: string }
export interface Token { accessToken: string; tokenType: string; expiresIn: number }
/** The venue as sold for a concert (never changes): rows of seats numbered 1..seats, seat ids `{section}-{row}-{n}`. */
export interface SeatLayout {
  concertId: string; layoutVersion: string; capacity: number;
  tiers: PriceTier[];
  sections: { code: string; tier: string; capacity: number; rows: Row[] }[];
}
/** Every seat's status, one letter per seat (a available, h held, s sold) per section in layout order. */
export interface SeatState { concertId: string; layoutVersion: string; version: number; salesStopped: boolean; sections: { code: string; seats: string }[] }
/** What changed from version `from` to `version`: seat `at[i]` of the section is now `seats[i]`. */
export interface SeatStateDelta { from: number; version: number; salesStopped: boolean; changes: { section: string; at: number[]; seats: string }[] }

/** A call that did not succeed, with the sentence to show the fan. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly problem: Problem | null,
  ) {
    super(message);
  }
}

interface Problem {
  title?: string; detail?: string; status?: number;
  errors?: Record<string, string[]>;
  seatIds?: string[]; limit?: number;
  [key: string]: unknown;
}

/** A problem's numbers and strings, as values for the message of its reason code. */
function valuesOf(problem: Problem): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(problem)) {
    if (typeof value === "string" || typeof value === "number") values[key] = value;
  }
  return values;
}

/** The fan-facing sentence for a failed call; never the raw body. */
export function describeFailure(status: number, problem: Problem | null, retryAfter: string | null): string {
  if (status === 0) return t("errors.network");
  if (status === 429) {
    const seconds = Math.max(1, Number.parseInt(retryAfter ?? "1", 10) || 1);
    return t("errors.tooManyTries", { seconds });
  }
  if (status >= 500) return t("errors.server");
  // A problem with a reason code is told in the fan's language; the English title and detail are for developers.
  // The problem's plain fields (limit, quantity, ...) are the message's values.
  const reason = typeof problem?.reason === "string" ? tMaybe(`reason.${problem.reason}`, valuesOf(problem)) : null;
  if (reason) return reason;
  switch (status) {
    case 401: return t("errors.signInAgain");
    case 403: return t("errors.forbidden");
    case 404: return t("errors.notFound");
    case 409:
      switch (problem?.title) {
        case "Not enough seats left": return t("errors.notEnoughSeats");
        case "Sales have not opened yet": return t("errors.notOpenYet");
        case "Sales have stopped": return t("errors.salesStopped");
        case "The hold is being paid for": return t("errors.holdInCheckout");
        default: return t("errors.seatsTaken");
      }
    case 422:
      if (typeof problem?.limit === "number") return t("errors.overLimit", { limit: problem.limit });
      return t("errors.generic");
    case 400: {
      const fields = Object.keys(problem?.errors ?? {});
      if (fields.some((f) => f.startsWith("payment"))) return t("errors.cardInvalid");
      if (fields.includes("userName")) return t("errors.userNameInvalid");
      const quantity = fields.find((f) => f.endsWith(".quantity"));
      if (quantity) {
        const limit = /At most (\d+)/.exec(problem?.errors?.[quantity]?.[0] ?? "");
        if (limit) return t("errors.merchLimit", { limit: Number(limit[1]) });
      }
      return t("errors.invalid");
    }
    default: return t("errors.generic");
  }
}

/** How long a read may take before the app gives it up (a 60,000-seat map's state on a slow phone line takes a few seconds). */
const readTimeoutMs = 20000;

/** One call of the gateway's API: the fan's token, JSON both ways, and a failure as an {@link ApiError} with the fan's sentence. */
export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, anonymous = false): Promise<T> {
  // Public reads go without the token: they are the same for everyone, and the gateway and any CDN keep them.
  const token = anonymous ? null : session.token();
  const init: RequestInit = {
    method,
    headers: {
      Accept: "application/json",
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...admissionHeaders(method, path),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    // A read that has not answered in time is given up (and told as a network failure), so a page's next poll asks
    // again instead of waiting on one stuck connection for ever. Writes are not: a hold or an order sent may still
    // be made, and its own answer says so.
    signal: method === "GET" ? AbortSignal.timeout(readTimeoutMs) : undefined,
  };
  let response: Response;
  try {
    response = await ((anonymous && method === "GET" && earlyRead(path)) || fetch(path, init));
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      // A body cut short or garbled on the way is the network's failure, not an answer.
      return (await response.json()) as T;
    }
  } catch {
    throw new ApiError(0, t("errors.network"), null);
  }
  let problem: Problem | null = null;
  try {
    problem = (await response.json()) as Problem;
  } catch {
    problem = null;
  }
  if (response.status === 401 && token) session.signOut();
  throw new ApiError(response.status, describeFailure(response.status, problem, response.headers.get("Retry-After")), problem);
}

declare global {
  interface Window {
    /** Public reads started by public/early-reads.js from the page's head, by path. */
    ticketingEarlyReads?: Record<string, Promise<Response>>;
  }
}

/** The answer of a read the page's head already started for this path (taken once), else undefined. */
function earlyRead(path: string): Promise<Response> | undefined {
  const reads = window.ticketingEarlyReads;
  const answer = reads?.[path];
  if (reads && answer) delete reads[path];
  return answer;
}

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads of the same public thing within a few seconds (a route's gate, then its page) share one request: the second
 * does not wait for another round trip. A failed read is forgotten at once.
 */
const recentReads = new Map<string, Promise<unknown>>();
const sharedReadMs = 5000;
function shared<T>(key: string, read: () => Promise<T>): Promise<T> {
  let pending = recentReads.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    recentReads.set(key, pending);
    const forget = () => recentReads.delete(key);
    pending.then(() => window.setTimeout(forget, sharedReadMs), forget);
  }
  return pending;
}

export const api = {
  token: (userName: string) => call<Token>("POST", "/auth/token", { userName, role: "fan" }),
  concerts: (query?: string) => call<Page<Concert>>("GET", `/api/catalog/concerts?pageSize=100${query ? `&q=${encodeURIComponent(query)}` : ""}`, undefined, {}, true),
  concert: (id: string) => shared(`concert:${id}`, () => call<Concert>("GET", `/api/catalog/concerts/${id}`, undefined, {}, true)),
  products: () => call<Page<Product>>("GET", "/api/catalog/products?pageSize=100", undefined, {}, true),
  concertImages: (id: string) => call<ImageRef[]>("GET", `/api/catalog/concerts/${id}/images`, undefined, {}, true),
  product: (id: string) => call<Product>("GET", `/api/catalog/products/${id}`, undefined, {}, true),
  seats: (concertId: string) => call<SeatMap>("GET", `/api/tickets/concerts/${concertId}/seats`, undefined, {}, true),
  availability: (concertId: string) => call<Availability>("GET", `/api/tickets/concerts/${concertId}/availability`, undefined, {}, true),
  layout: (concertId: string) => call<SeatLayout>("GET", `/api/tickets/concerts/${concertId}/layout`, undefined, {}, true),
  seatState: (concertId: string) => call<SeatState>("GET", `/api/tickets/concerts/${concertId}/seat-state`, undefined, {}, true),
  seatStateStream: (concertId: string) => `/api/tickets/concerts/${concertId}/seat-state/stream`,
  holdSeats: (concertId: string, seatIds: string[]) => call<Hold>("POST", `/api/tickets/concerts/${concertId}/holds`, { seatIds }),
  holdBest: (concertId: string, tier: string, quantity: number) =>
    call<Hold>("POST", `/api/tickets/concerts/${concertId}/holds`, { tier, quantity }),
  hold: (holdId: string) => call<Hold>("GET", `/api/tickets/holds/${holdId}`),
  myHolds: (concertId: string) => call<Hold[]>("GET", `/api/tickets/concerts/${concertId}/holds/mine`),
  releaseHold: (holdId: string) => call<void>("DELETE", `/api/tickets/holds/${holdId}`),
  myTickets: () => call<Ticket[]>("GET", "/api/tickets/mine"),
  placeOrder: (holdId: string | null, items: { productId: string; quantity: number; variant?: string | null }[], cardNumber: string, key = newIdempotencyKey()) =>
    call<{ orderId: string; status: string }>("POST", "/api/orders",
      { holdId, items: items.length ? items : null, payment: { cardNumber } }, { "Idempotency-Key": key }),
  order: (orderId: string) => call<Order>("GET", `/api/orders/${orderId}`),
  myOrders: () => call<Page<Order>>("GET", "/api/orders/mine?pageSize=50"),
};

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : t("errors.generic");
}
