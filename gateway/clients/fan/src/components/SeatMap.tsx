import { useState } from "preact/hooks";
import type { Seat } from "../api";
import { formatMoney } from "../format";
import { t, type MessageKey } from "../i18n/i18n";

export const tierColours = ["#6d28d9", "#0369a1", "#15803d", "#c2410c", "#be185d", "#a16207"];
export const takenColour = "#b8bcc2";

export type SeatState = "available" | "held" | "sold" | "selected" | "yours";

interface Props {
  seats: Seat[];
  tiers: string[];
  tierNames: Record<string, string>;
  selected: Set<string>;
  yours: Set<string>;
  columns: number;
  onToggle: (seat: Seat) => void;
}

const pitch = 22;
const radius = 8.5;
const labelWidth = 26;
const sectionGap = 30;
const headerHeight = 24;

interface SectionLayout { code: string; tier: string; rows: { label: string; seats: Seat[] }[]; width: number; height: number; x: number; y: number }

/** Sections in order, each with its rows of seats, placed in a grid of <paramref name="columns"/> columns. */
function layout(seats: Seat[], columns: number) {
  const sections: SectionLayout[] = [];
  for (const seat of seats) {
    let section = sections[sections.length - 1];
    if (!section || section.code !== seat.section) {
      section = sections.find((s) => s.code === seat.section) ?? { code: seat.section, tier: seat.tier, rows: [], width: 0, height: 0, x: 0, y: 0 };
      if (!sections.includes(section)) sections.push(section);
    }
    let row = section.rows.find((r) => r.label === seat.row);
    if (!row) section.rows.push((row = { label: seat.row, seats: [] }));
    row.seats.push(seat);
  }
  for (const section of sections) {
    section.width = labelWidth + Math.max(...section.rows.map((r) => r.seats.length)) * pitch;
    section.height = headerHeight + section.rows.length * pitch;
  }
  const perRow = Math.max(1, Math.min(columns, sections.length));
  const columnWidth = Math.max(...sections.map((s) => s.width), 0);
  let y = 60;
  for (let i = 0; i < sections.length; i += perRow) {
    const band = sections.slice(i, i + perRow);
    band.forEach((section, j) => {
      section.x = j * (columnWidth + sectionGap) + (columnWidth - section.width) / 2;
      section.y = y;
    });
    y += Math.max(...band.map((s) => s.height)) + sectionGap;
  }
  const width = Math.max(perRow * columnWidth + (perRow - 1) * sectionGap, 200);
  return { sections, width, height: y };
}

export function seatState(seat: Seat, selected: Set<string>, yours: Set<string>): SeatState {
  if (yours.has(seat.seatId)) return "yours";
  if (seat.status !== "available") return seat.status === "sold" ? "sold" : "held";
  return selected.has(seat.seatId) ? "selected" : "available";
}

/**
 * Where an arrow key goes from a seat: along its row, to the same place in the row above or below (across sections),
 * or to the row's ends (Home, End). Null when there is nowhere to go.
 */
function neighbour(sections: SectionLayout[], seatId: string, key: string): string | null {
  const rows = sections.flatMap((section) => section.rows);
  const r = rows.findIndex((row) => row.seats.some((seat) => seat.seatId === seatId));
  if (r < 0) return null;
  const s = rows[r].seats.findIndex((seat) => seat.seatId === seatId);
  const at = (row: number, index: number) => {
    const target = rows[row];
    return target ? target.seats[Math.min(index, target.seats.length - 1)].seatId : null;
  };
  switch (key) {
    case "ArrowRight": return at(r, s + 1 < rows[r].seats.length ? s + 1 : s);
    case "ArrowLeft": return at(r, Math.max(0, s - 1));
    case "ArrowDown": return at(r + 1, s);
    case "ArrowUp": return r > 0 ? at(r - 1, s) : null;
    case "Home": return at(r, 0);
    case "End": return at(r, rows[r].seats.length - 1);
    default: return null;
  }
}

export function SeatMap({ seats, tiers, tierNames, selected, yours, columns, onToggle }: Props) {
  const { sections, width, height } = layout(seats, columns);
  // Words that repeat on every seat are written once per render, not 1,500 times.
  const statusText = Object.fromEntries((["available", "held", "sold", "selected", "yours"] as SeatState[])
    .map((state) => [state, t(`concert.status.${state}` as MessageKey)])) as Record<SeatState, string>;
  const prices = new Map<string, string>();
  const priceOf = (seat: Seat) => {
    let text = prices.get(seat.tier);
    if (text === undefined) prices.set(seat.tier, (text = formatMoney(seat.price, seat.currency)));
    return text;
  };
  const colour = (tier: string) => tierColours[Math.max(0, tiers.indexOf(tier)) % tierColours.length];
  // One tab stop for the whole map (the seat last moved to, else the first free one); arrow keys move between seats.
  const [active, setActive] = useState<string | null>(null);
  const tabStop = (active && seats.some((seat) => seat.seatId === active) ? active : null)
    ?? seats.find((seat) => seatState(seat, selected, yours) === "available")?.seatId ?? seats[0]?.seatId;

  function move(event: KeyboardEvent, seatId: string) {
    const next = neighbour(sections, seatId, event.key);
    if (next === null) return false;
    event.preventDefault();
    setActive(next);
    (event.currentTarget as SVGElement).ownerSVGElement?.querySelector<SVGElement>(`[data-seat-id="${CSS.escape(next)}"]`)?.focus();
    return true;
  }

  return (
    <svg class="seat-map" viewBox={`-10 0 ${width + 20} ${height}`} role="group" aria-label={t("concert.seatMap")}
      aria-describedby="seat-map-keys" data-testid="seat-map">
      <rect x={width / 2 - 90} y={8} width={180} height={30} rx={6} class="stage" />
      <text x={width / 2} y={28} text-anchor="middle" class="stage-label">{t("concert.stage")}</text>
      {sections.map((section) => (
        <g key={section.code} transform={`translate(${section.x} ${section.y})`}>
          <text x={labelWidth} y={14} class="section-label">
            {section.code} · {tierNames[section.tier] ?? section.tier}
          </text>
          {section.rows.map((row, r) => (
            <g key={row.label}>
              <text x={0} y={headerHeight + r * pitch + pitch / 2 + 4} class="row-label">{row.label}</text>
              {row.seats.map((seat, s) => {
                const state = seatState(seat, selected, yours);
                const free = state === "available" || state === "selected";
                const fill = state === "held" || state === "sold" ? takenColour : state === "selected" ? "#111827" : colour(seat.tier);
                return (
                  <circle
                    key={seat.seatId}
                    cx={labelWidth + s * pitch + pitch / 2}
                    cy={headerHeight + r * pitch + pitch / 2}
                    r={radius}
                    fill={fill}
                    class={`seat seat-${state}`}
                    stroke={state === "selected" ? colour(seat.tier) : state === "yours" ? "#111827" : "none"}
                    stroke-width={state === "selected" || state === "yours" ? 3 : 0}
                    role="checkbox"
                    aria-checked={state === "selected" || state === "yours"}
                    aria-disabled={!free}
                    aria-label={t("concert.seatLabel", { section: seat.section, row: seat.row, number: seat.number, tier: tierNames[seat.tier] ?? seat.tier,
                      price: priceOf(seat), status: statusText[state] })}
                    tabIndex={seat.seatId === tabStop ? 0 : -1}
                    data-seat-id={seat.seatId}
                    data-status={state}
                    onClick={() => { setActive(seat.seatId); if (free) onToggle(seat); }}
                    onFocus={() => setActive(seat.seatId)}
                    onKeyDown={(event) => {
                      if ((event.key === "Enter" || event.key === " ") && free) {
                        event.preventDefault();
                        onToggle(seat);
                      } else {
                        move(event, seat.seatId);
                      }
                    }}
                  />
                );
              })}
            </g>
          ))}
        </g>
      ))}
    </svg>
  );
}
