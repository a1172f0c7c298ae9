import { t } from "../i18n/i18n";
import { timeAtVenue } from "../format";

/**
 * An instant in the fan's zone, and in the venue's when that reads differently ("Sale opens Fri, Jan 15, 5:00 PM PST
 * (Sat, Jan 16, 10:00 AM GMT+9 in Seoul)"): the weekday is named on both when the days differ.
 */
export function VenueTime({ label, iso, timeZone, city, testId }: {
  label: "time.saleOpens" | "time.startsAt"; iso: string; timeZone: string; city: string; testId?: string;
}) {
  const time = timeAtVenue(iso, timeZone);
  return (
    <p data-testid={testId} data-day-differs={time.dayDiffers ? "true" : undefined}>
      {t(label, { when: time.fan })}
      {time.venue && <span class="muted"> ({t("time.atVenue", { when: time.venue, city })})</span>}
    </p>
  );
}
