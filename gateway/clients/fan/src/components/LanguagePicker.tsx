import { useSignal } from "../signal";
import { currentLocale, languageNames, locales, switchLocale, t, type Locale } from "../i18n/i18n";

/** The fan's language, each named in itself; the choice is remembered on this device. */
export function LanguagePicker() {
  const locale = useSignal(currentLocale);
  return (
    <label class="picker">
      <span class="visually-hidden">{t("settings.language")}</span>
      <select value={locale} data-testid="language-picker" onChange={(e) => void switchLocale((e.target as HTMLSelectElement).value as Locale, true)}>
        {locales.map((code) => <option key={code} value={code} lang={code}>{languageNames[code]}</option>)}
      </select>
    </label>
  );
}
