import { useEffect } from "preact/hooks";
import { t } from "../i18n/i18n";
import { approxCurrency, chooseApproxCurrency, exchangeRates, loadExchangeRates } from "../money";
import { useSignal } from "../signal";

/** The currency for approximate prices, among those the operators published rates for (hidden when none). */
export function CurrencyPicker() {
  const sheet = useSignal(exchangeRates);
  const chosen = useSignal(approxCurrency);
  useEffect(() => { void loadExchangeRates(); }, []);
  if (!sheet) return null;
  return (
    <label class="picker">
      <span class="visually-hidden">{t("settings.currency")}</span>
      <select value={chosen ?? ""} data-testid="currency-picker" onChange={(e) => chooseApproxCurrency((e.target as HTMLSelectElement).value || null)}>
        <option value="">{t("settings.currencyNone")}</option>
        {Object.keys(sheet.rates).sort().map((code) => <option key={code} value={code}>≈ {code}</option>)}
      </select>
    </label>
  );
}
