// Approximate prices in a currency the fan chooses, from the exchange rates operators publish
// (GET /api/catalog/exchange-rates). Only ever shown next to the real price, marked "≈": charges use the
// concert's or product's own currency.
import { signal } from "./signal";

export interface ExchangeRates { base: string; rates: Record<string, number>; publishedAt: string }

const key = "ticketing.approxCurrency";

function stored(): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The currency the fan wants approximate prices in; null: only the real price. */
export const approxCurrency = signal<string | null>(stored());
export const exchangeRates = signal<ExchangeRates | null>(null);

export function chooseApproxCurrency(currency: string | null) {
  try {
    if (currency) localStorage.setItem(key, currency);
    else localStorage.removeItem(key);
  } catch {
    // private mode: the choice lasts for this visit
  }
  approxCurrency.set(currency);
}

let loading: Promise<void> | null = null;

/** Reads the published rates once per visit (none published: no approximate prices). */
export function loadExchangeRates(): Promise<void> {
  loading ??= fetch("/api/catalog/exchange-rates", { headers: { Accept: "application/json" } })
    .then(async (response) => { if (response.ok) exchangeRates.set((await response.json()) as ExchangeRates); })
    .catch(() => undefined);
  return loading;
}

/** The amount in the target currency at the published rates, or null when either currency has no rate. */
export function convert(amount: number, from: string, to: string, sheet: ExchangeRates | null): number | null {
  const fromRate = sheet?.rates[from];
  const toRate = sheet?.rates[to];
  if (!fromRate || !toRate) return null;
  return (amount / fromRate) * toRate;
}
