import { formatMoney } from "../format";
import { t } from "../i18n/i18n";
import { approxCurrency, convert, exchangeRates } from "../money";
import { useSignal } from "../signal";

/** The approximate amount in the fan's chosen currency ("≈ US$148.00"), or null when there is none to show. */
export function useApprox(amount: number, currency: string): string | null {
  const target = useSignal(approxCurrency);
  const sheet = useSignal(exchangeRates);
  if (!target || target === currency) return null;
  const converted = convert(amount, currency, target, sheet);
  return converted === null ? null : t("money.approximate", { amount: formatMoney(converted, target) });
}

/** A price in the currency it is charged in, followed by the approximate amount in the fan's chosen currency. */
export function Price({ amount, currency, testId }: { amount: number; currency: string; testId?: string }) {
  const approx = useApprox(amount, currency);
  return (
    <>
      <span data-testid={testId}>{formatMoney(amount, currency)}</span>
      {approx && <span class="approx" data-testid="approx-price"> {approx}</span>}
    </>
  );
}

/** Says what the approximate amounts are: the organiser's rate of a day, and the currency actually charged. */
export function ApproxNote({ currency }: { currency: string }) {
  const target = useSignal(approxCurrency);
  const sheet = useSignal(exchangeRates);
  if (!target || target === currency || convert(1, currency, target, sheet) === null) return null;
  const date = new Date(sheet!.publishedAt).toLocaleDateString(document.documentElement.lang);
  return <p class="muted small" data-testid="approx-note">{t("money.approximateNote", { date, currency })}</p>;
}

/** Only the approximate amount (after a price written by a message, e.g. "From ₩132,000"). */
export function Approx({ amount, currency }: { amount: number; currency: string }) {
  const approx = useApprox(amount, currency);
  return approx ? <span class="approx" data-testid="approx-price"> {approx}</span> : null;
}
