// Numbers, money and times for the viewer: their locale and their time zone, always with the zone named.

const locale = navigator.language || 'en';
export const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const integer = new Intl.NumberFormat(locale);
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const moneyFormats = new Map();

export const count = (n) => integer.format(n ?? 0);
export const share = (ratio) => percent.format(ratio ?? 0);

export function money(amount, currency, options = {}) {
  if (!currency) return count(amount);
  const key = `${currency}|${options.compact ? 'c' : ''}`;
  if (!moneyFormats.has(key)) {
    moneyFormats.set(key, new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: options.compact ? 'compact' : 'standard',
      maximumFractionDigits: options.compact ? 1 : undefined,
    }));
  }
  return moneyFormats.get(key).format(amount ?? 0);
}

const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
const minuteFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });

export const time = (iso) => (iso ? timeFormat.format(new Date(iso)) : '—');
export const minute = (date) => minuteFormat.format(date);

/** "Sat 12 Dec, 19:00 KST" in the venue's zone, for a concert. */
export function venueTime(iso, timeZone) {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return time(iso);
  }
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

const reasons = {
  payment_declined: 'Payment declined',
  out_of_stock: 'Out of stock',
  limit_exceeded: 'Over the per-fan limit',
  hold_expired: 'Hold expired',
  hold_invalid: 'Hold not valid',
  timeout: 'Timed out',
  refunded: 'Refunded',
  cancelled_by_operator: 'Cancelled by an operator',
  currency_mismatch: 'Currency mismatch',
  concert_cancelled: 'Concert cancelled',
};
export const reason = (code) => reasons[code] ?? (code ? code.replaceAll('_', ' ') : '');

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
