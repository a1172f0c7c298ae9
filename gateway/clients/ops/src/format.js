// Numbers, money and times for the viewer: their locale and their time zone, always with the zone named.

import { formatLocale, t } from './i18n.js';

export const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

// Built on first use, after the operator's language is loaded (src/i18n.js).
let locale;
let integer;
let percent;
let timeFormat;
let minuteFormat;
const moneyFormats = new Map();
function formats() {
  if (!locale) {
    locale = formatLocale();
    integer = new Intl.NumberFormat(locale);
    percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
    minuteFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  }
  return { integer, percent, timeFormat, minuteFormat };
}

export const count = (n) => formats().integer.format(n ?? 0);
export const share = (ratio) => formats().percent.format(ratio ?? 0);

export function money(amount, currency, options = {}) {
  if (!currency) return count(amount);
  const key = `${currency}|${options.compact ? 'c' : ''}`;
  if (!moneyFormats.has(key)) {
    moneyFormats.set(key, new Intl.NumberFormat(formatLocale(), {
      style: 'currency',
      currency,
      notation: options.compact ? 'compact' : 'standard',
      maximumFractionDigits: options.compact ? 1 : undefined,
    }));
  }
  return moneyFormats.get(key).format(amount ?? 0);
}

export const time = (iso) => (iso ? formats().timeFormat.format(new Date(iso)) : '—');
export const minute = (date) => formats().minuteFormat.format(date);

/** "Sat 12 Dec, 19:00 KST" in the venue's zone, for a concert. */
export function venueTime(iso, timeZone) {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(formatLocale(), {
      weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return time(iso);
  }
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return t('ago.seconds', { count: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('ago.minutes', { count: minutes });
  return t('ago.hours', { count: Math.round(minutes / 60) });
}

const reasons = new Set(['payment_declined', 'out_of_stock', 'limit_exceeded', 'hold_expired', 'hold_invalid', 'timeout', 'refunded', 'cancelled_by_operator', 'currency_mismatch', 'concert_cancelled']);
export const reason = (code) => (reasons.has(code) ? t(`reason.${code}`) : code ? code.replaceAll('_', ' ') : '');

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
