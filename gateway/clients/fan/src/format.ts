// Times, prices and names in the fan's terms: the fan's language and time zone, next to the venue's; money in the
// currency it is charged in, written the way the fan's locale writes it.
import { currentLocale, formatLocale, t } from "./i18n/i18n";

const fanZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The fan's zone's name, e.g. "America/Los_Angeles". */
export function fanTimeZone(): string {
  return fanZone;
}

// Formatters are costly to build and the countdowns render every second: one per locale and options.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat(locale, options)));
  return formatter;
}
function numberFormatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat(locale, options)));
  return formatter;
}

const dateTime: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" };

/** The calendar day of an instant in a zone, e.g. "2027-01-15" (for telling whether two zones' days differ). */
export function dayIn(instant: Date, timeZone: string): string {
  return dateFormatter("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** "Jan 15, 2027, 6:00 AM EST" in the fan's language, in the given zone (the fan's unless told), weekday named when asked. */
export function formatTime(iso: string, timeZone: string = fanZone, withWeekday = false): string {
  return dateFormatter(formatLocale(), { ...dateTime, ...(withWeekday ? { weekday: "short" } : {}), timeZone }).format(new Date(iso));
}

export interface TimeAtVenue {
  /** In the fan's zone. */
  fan: string;
  /** In the venue's zone; null when it reads the same as the fan's (same offset at that instant). */
  venue: string | null;
  /** The fan's calendar day is not the venue's: both are written with their weekday. */
  dayDiffers: boolean;
}

/** An instant as the fan reads it and as the venue reads it; the weekday is named on both when the days differ. */
export function timeAtVenue(iso: string, venueZone: string, fanZoneName: string = fanZone): TimeAtVenue {
  const instant = new Date(iso);
  const dayDiffers = dayIn(instant, fanZoneName) !== dayIn(instant, venueZone);
  const fan = formatTime(iso, fanZoneName, dayDiffers);
  const venue = formatTime(iso, venueZone, dayDiffers);
  const sameOffset = formatTime(iso, fanZoneName) === formatTime(iso, venueZone);
  return { fan, venue: sameOffset ? null : venue, dayDiffers };
}

/** A price in its own currency, written for the fan's locale: ₩198,000 / ￥21,800 / US$148.00. */
export function formatMoney(amount: number, currency: string, locale: string = formatLocale()): string {
  return numberFormatter(locale, currency ? { style: "currency", currency } : {}).format(amount);
}

/** "2d 03:04:05" (the days in the fan's language), "4:05:06", "04:05" — what is left until an instant; "0:00" once passed. */
export function formatCountdown(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return t("time.countdownDays", { days, time: `${two(hours)}:${two(minutes)}:${two(seconds)}` });
  if (hours > 0) return `${hours}:${two(minutes)}:${two(seconds)}`;
  return `${minutes}:${two(seconds)}`;
}

/** A name in the fan's language: their language, its base language, English, then the name as given. */
export function localName(names: Record<string, string> | null | undefined, given: string, locale: string = currentLocale.value): string {
  if (!names) return given;
  const base = locale.split("-")[0];
  return names[locale] ?? names[base] ?? Object.entries(names).find(([tag]) => tag.split("-")[0] === base)?.[1] ?? names.en ?? given;
}
