// Times in the fan's own time zone with the zone named, prices in the concert's or product's currency.

const fanZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Jan 15, 2027, 6:00 AM EST" in the fan's zone. */
export function formatTime(iso: string, timeZone: string = fanZone): string {
  return new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** The fan's zone's name, e.g. "America/New_York". */
export function fanTimeZone(): string {
  return fanZone;
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
}

/** "2d 03:04:05", "04:05" (mm:ss) — what is left until an instant; "0:00" once it has passed. */
export function formatCountdown(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return `${days}d ${two(hours)}:${two(minutes)}:${two(seconds)}`;
  if (hours > 0) return `${hours}:${two(minutes)}:${two(seconds)}`;
  return `${minutes}:${two(seconds)}`;
}
