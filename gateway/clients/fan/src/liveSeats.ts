// The live seat map of one concert: the layout once (it never changes), the seat state once, then the deltas the
// gateway streams (server-sent events, at most one a second). No polling: a taken seat greys when its delta arrives.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, errorText, type Seat, type SeatLayout, type SeatState, type SeatStateDelta } from "./api";

export interface TierCount { tier: string; name: string; price: number; currency: string; capacity: number; available: number }
export interface SectionCount { code: string; tier: string; capacity: number; available: number }

export interface LiveSeats {
  /** Every seat in layout order with its status; null until the layout and a state arrived. */
  seats: Seat[] | null;
  tiers: TierCount[];
  /** Seats left per section, in layout order (the stadium overview). */
  sections: SectionCount[];
  salesStopped: boolean;
  error: string | null;
  /** Seats a hold was refused for: shown taken now, until the state says otherwise or a few seconds pass. */
  markTaken(seatIds: string[]): void;
  /** Reads the state again (after a refusal, or the fan's own release). */
  refresh(): void;
}

const takenOverrideMs = 5000;
const statusOf: Record<string, string> = { a: "available", h: "held", s: "sold" };

/** Seats of the layout, in order, without their status (built once per layout). */
function seatsOf(layout: SeatLayout): Omit<Seat, "status">[] {
  const tiers = new Map(layout.tiers.map((tier) => [tier.code, tier]));
  const seats: Omit<Seat, "status">[] = [];
  for (const section of layout.sections) {
    const tier = tiers.get(section.tier);
    for (const row of section.rows) {
      for (let number = 1; number <= row.seats; number++) {
        seats.push({
          seatId: `${section.code}-${row.label}-${number}`, section: section.code, row: row.label, number,
          tier: section.tier, price: tier?.price ?? 0, currency: tier?.currency ?? "",
        });
      }
    }
  }
  return seats;
}

/** Applies a delta to per-section strings; null when it does not follow the version held (the caller resyncs). */
export function applyDelta(state: SeatState, delta: SeatStateDelta): SeatState | null {
  if (delta.version <= state.version) return state;
  if (delta.from !== state.version) return null;
  const changed = new Map(delta.changes.map((change) => [change.section, change]));
  return {
    ...state,
    version: delta.version,
    salesStopped: delta.salesStopped,
    sections: state.sections.map((section) => {
      const change = changed.get(section.code);
      if (!change) return section;
      const seats = section.seats.split("");
      change.at.forEach((index, i) => (seats[index] = change.seats[i]));
      return { code: section.code, seats: seats.join("") };
    }),
  };
}

export function useLiveSeats(concertId: string): LiveSeats {
  const [layout, setLayout] = useState<SeatLayout | null>(null);
  const [state, setState] = useState<SeatState | null>(null);
  const [overrides, setOverrides] = useState<Map<string, number>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const current = useRef<SeatState | null>(null);

  // A state is taken only when it is newer than the one shown (a cached read may be a moment older).
  const accept = (next: SeatState) => {
    if (current.current && next.version < current.current.version) return;
    current.current = next;
    setState(next);
  };

  const refresh = () => {
    api.seatState(concertId).then(accept, (failure) => {
      if (!current.current) setError(errorText(failure));
    });
  };

  useEffect(() => {
    let closed = false;
    current.current = null;
    setState(null);
    setLayout(null);
    setError(null);
    api.layout(concertId).then((loaded) => !closed && setLayout(loaded), (failure) => !closed && setError(errorText(failure)));
    refresh();

    let source: EventSource | null = null;
    let retry = 0;
    const listen = () => {
      source = new EventSource(api.seatStateStream(concertId));
      source.addEventListener("snapshot", (event) => accept(JSON.parse((event as MessageEvent).data) as SeatState));
      source.addEventListener("delta", (event) => {
        const delta = JSON.parse((event as MessageEvent).data) as SeatStateDelta;
        if (!current.current) return;
        const next = applyDelta(current.current, delta);
        if (next === null) refresh(); // a delta was missed: read the whole state again
        else if (next !== current.current) accept(next);
      });
      source.onerror = () => {
        // The browser reconnects by itself (and gets a snapshot); if it gave up, listen again a little later.
        if (source?.readyState === EventSource.CLOSED && !closed) retry = window.setTimeout(listen, 3000);
      };
    };
    listen();
    return () => {
      closed = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, [concertId]);

  const base = useMemo(() => (layout ? seatsOf(layout) : null), [layout]);

  const seats = useMemo(() => {
    if (!base || !state || !layout || state.layoutVersion !== layout.layoutVersion) return null;
    const codes = state.sections.map((section) => section.seats).join("");
    const now = Date.now();
    return base.map((seat, index) => {
      const status = statusOf[codes[index]] ?? "available";
      const taken = status === "available" && (overrides.get(seat.seatId) ?? 0) > now;
      return { ...seat, status: taken ? "held" : status };
    });
  }, [base, state, overrides, layout]);

  const tiers = useMemo(() => {
    if (!layout || !state) return [];
    const counts = new Map(layout.tiers.map((tier) => [tier.code, { capacity: 0, available: 0 }]));
    layout.sections.forEach((section, i) => {
      const count = counts.get(section.tier);
      const codes = state.sections[i]?.seats ?? "";
      if (!count) return;
      count.capacity += section.capacity;
      for (const code of codes) if (code === "a") count.available++;
    });
    return layout.tiers.map((tier) => ({ tier: tier.code, name: tier.name, price: tier.price, currency: tier.currency, ...counts.get(tier.code)! }));
  }, [layout, state]);

  const sections = useMemo(() => {
    if (!layout || !state) return [];
    return layout.sections.map((section, i) => {
      let available = 0;
      for (const code of state.sections[i]?.seats ?? "") if (code === "a") available++;
      return { code: section.code, tier: section.tier, capacity: section.capacity, available };
    });
  }, [layout, state]);

  return {
    seats,
    tiers,
    sections,
    salesStopped: state?.salesStopped ?? false,
    error: seats ? null : error,
    markTaken(seatIds: string[]) {
      const until = Date.now() + takenOverrideMs;
      setOverrides((existing) => {
        const next = new Map([...existing].filter(([, expiry]) => expiry > Date.now()));
        seatIds.forEach((seatId) => next.set(seatId, until));
        return next;
      });
      window.setTimeout(() => setOverrides((existing) => new Map([...existing].filter(([, expiry]) => expiry > Date.now()))), takenOverrideMs + 50);
      refresh();
    },
    refresh,
  };
}
