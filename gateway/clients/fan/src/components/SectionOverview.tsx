import type { SectionCount } from "../liveSeats";
import { t } from "../i18n/i18n";
import { takenColour, tierColours } from "./SeatMap";

/**
 * A big venue's map at a glance: one button per section with the seats it has left (live), coloured by tier and
 * greyed when sold out; picking one opens that section's seats. One tab stop per section, not per seat.
 */
export function SectionOverview({ sections, tiers, tierNames, onPick }: {
  sections: SectionCount[]; tiers: string[]; tierNames: Record<string, string>; onPick: (code: string) => void;
}) {
  return (
    <ul class="section-grid" data-testid="section-overview">
      {sections.map((section) => {
        const left = section.available / Math.max(1, section.capacity);
        const colour = section.available === 0 ? takenColour : tierColours[Math.max(0, tiers.indexOf(section.tier)) % tierColours.length];
        const tier = tierNames[section.tier] ?? section.tier;
        return (
          <li key={section.code}>
            <button type="button" class="section-tile" data-testid="section" data-section={section.code} data-available={section.available}
              onClick={() => onPick(section.code)}>
              <span class="section-code" style={{ borderColor: colour }}>{section.code}</span>
              <span class="section-tier">{tier}</span>
              <span class="section-left">{section.available === 0 ? t("concert.sectionSoldOut") : t("concert.sectionLeft", { available: section.available })}</span>
              <span class="section-bar" aria-hidden="true"><span style={{ width: `${Math.round(left * 100)}%`, background: colour }} /></span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
