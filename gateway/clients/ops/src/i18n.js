// The dashboard's language: ICU messages through FormatJS's @formatjs/intl, seven catalogs in src/messages (English
// is the reference; scripts/check-messages.mjs keeps the others in step at build time). The operator's choice
// (remembered on the device), else the browser's first supported language, else English.
import { createIntl, createIntlCache } from '@formatjs/intl';
import en from './messages/en.json';

export const locales = ['ko', 'en', 'ja', 'es', 'pt-BR', 'id', 'th'];
const languageNames = { ko: '한국어', en: 'English', ja: '日本語', es: 'Español', 'pt-BR': 'Português (Brasil)', id: 'Bahasa Indonesia', th: 'ไทย' };
const storageKey = 'ticketing.ops.locale';
const catalogs = import.meta.glob(['./messages/*.json', '!./messages/en.json'], { import: 'default' });

let intl = createIntl({ locale: 'en', messages: en }, createIntlCache());
let current = 'en';

function supported(tag) {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  const exact = locales.find((code) => code.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split(/[-_]/)[0] === 'in' ? 'id' : lower.split(/[-_]/)[0];
  return locales.find((code) => code.toLowerCase().split('-')[0] === language) ?? null;
}

export function pickLocale(stored, browser) {
  return supported(stored) ?? browser.map(supported).find(Boolean) ?? 'en';
}

/** Loads the operator's language before the dashboard draws anything. */
export async function startI18n() {
  let stored = null;
  try {
    stored = localStorage.getItem(storageKey);
  } catch {
    stored = null;
  }
  current = pickLocale(stored, navigator.languages ?? [navigator.language]);
  const loader = catalogs[`./messages/${current}.json`];
  const messages = loader ? { ...en, ...(await loader()) } : en;
  intl = createIntl({ locale: current, defaultLocale: 'en', messages }, createIntlCache());
  document.documentElement.lang = current;
}

export const t = (key, values) => intl.formatMessage({ id: key }, values);

/** A status word the server sent, in the operator's language when the catalog has it under prefix, else as sent. */
export function statusText(prefix, status) {
  const id = `${prefix}.${status}`;
  return Object.hasOwn(intl.messages, id) ? t(id) : status;
}

/** The locale numbers and dates are written in: the browser's own tag when it is of the chosen language. */
export function formatLocale() {
  const language = current.split('-')[0];
  return (navigator.languages ?? [navigator.language]).find((tag) => tag.toLowerCase().split('-')[0] === language) ?? current;
}

/** The language switcher (a select; the dashboard is drawn again in the new language). */
export function languagePicker() {
  const options = locales.map((code) => `<option value="${code}" lang="${code}"${code === current ? ' selected' : ''}>${languageNames[code]}</option>`).join('');
  return `<label class="select language"><span class="visually-hidden">${t('language')}</span><select id="language-picker" data-testid="language-picker">${options}</select></label>`;
}

export function bindLanguagePicker(root = document) {
  root.querySelector('#language-picker')?.addEventListener('change', (event) => {
    try {
      localStorage.setItem(storageKey, event.target.value);
    } catch {
      // private mode: the choice lasts for this page
    }
    window.location.reload();
  });
}
