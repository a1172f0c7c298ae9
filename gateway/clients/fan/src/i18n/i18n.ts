// The fan's language: ICU messages (plurals, numbers, dates) through FormatJS's @formatjs/intl, seven catalogs in
// src/i18n/messages (English is the reference; scripts/check-messages.mjs keeps the others in step at build time).
// The language is the fan's choice (remembered on the device), else the browser's first supported one, else English.
import { createIntl, createIntlCache, type IntlShape } from "@formatjs/intl";
import { signal } from "../signal";
import en from "./messages/en.json";

export const locales = ["ko", "en", "ja", "es", "pt-BR", "id", "th"] as const;
export type Locale = (typeof locales)[number];
export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number | Date>;

/** Each language named in itself, for the switcher. */
export const languageNames: Record<Locale, string> = {
  ko: "한국어", en: "English", ja: "日本語", es: "Español", "pt-BR": "Português (Brasil)", id: "Bahasa Indonesia", th: "ไทย",
};

const storageKey = "ticketing.locale";
/** Test mode (set by the browser tests): no English fallback, and a missing message shows as ⟦key⟧ and is recorded. */
const testModeKey = "ticketing.i18nTest";

const catalogs = import.meta.glob<Record<string, string>>(["./messages/*.json", "!./messages/en.json"], { import: "default" });

/** The supported language for a BCP 47 tag, if any: exact, then by language (pt-PT → pt-BR, ko-KR → ko, in → id). */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  const exact = locales.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split(/[-_]/)[0] === "in" ? "id" : lower.split(/[-_]/)[0];
  return locales.find((locale) => locale.toLowerCase().split("-")[0] === language) ?? null;
}

/** The fan's stored choice, else the first of the browser's languages we speak, else English. */
export function pickLocale(stored: string | null, browser: readonly string[]): Locale {
  const chosen = supportedLocale(stored);
  if (chosen) return chosen;
  for (const tag of browser) {
    const found = supportedLocale(tag);
    if (found) return found;
  }
  return "en";
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

const testMode = readStorage(testModeKey) === "1";
const cache = createIntlCache();
const missing = new Set<string>();
let intl: IntlShape<string> = build("en", en);

function build(locale: Locale, messages: Record<string, string>): IntlShape<string> {
  return createIntl({
    locale,
    defaultLocale: "en",
    messages: testMode ? messages : { ...en, ...messages },
    onError: (error) => {
      if (testMode) console.warn(`i18n: ${error.message}`);
    },
  }, cache);
}

export const currentLocale = signal<Locale>("en");

/** Loads a language's catalog and makes it the app's; remembered when the fan chose it. */
export async function switchLocale(locale: Locale, remember = false): Promise<void> {
  const loader = catalogs[`./messages/${locale}.json`];
  const messages = locale === "en" || !loader ? en : await loader();
  intl = build(locale, messages);
  if (remember) {
    try {
      localStorage.setItem(storageKey, locale);
    } catch {
      // private mode: the choice lasts for this visit
    }
  }
  document.documentElement.lang = locale;
  currentLocale.set(locale);
}

/** The language to start in. */
export function initialLocale(): Locale {
  return pickLocale(readStorage(storageKey), navigator.languages ?? [navigator.language]);
}

/** A message in the fan's language. */
export function t(key: MessageKey, values?: MessageValues): string {
  if (testMode && !(key in intl.messages)) {
    missing.add(key);
    (window as unknown as { __i18nMissing?: string[] }).__i18nMissing = [...missing];
    return `⟦${key}⟧`;
  }
  return intl.formatMessage({ id: key }, values) as string;
}

/** A message whose key is built from data (a status, a reason code); null when there is none. */
export function tMaybe(key: string, values?: MessageValues): string | null {
  return key in en ? t(key as MessageKey, values) : null;
}

export function currentIntl(): IntlShape<string> {
  return intl;
}

/**
 * The locale numbers and dates are written in: the browser's own tag when it is of the app's language (a fan in
 * Mexico reading Spanish gets es-MX's digits and dates), else the app's language.
 */
export function formatLocale(): string {
  const language = currentLocale.value.split("-")[0];
  const regional = (navigator.languages ?? [navigator.language]).find((tag) => tag.toLowerCase().split("-")[0] === language);
  if (!regional) return currentLocale.value;
  try {
    return Intl.NumberFormat.supportedLocalesOf([regional]).length ? regional : currentLocale.value;
  } catch {
    return currentLocale.value;
  }
}
