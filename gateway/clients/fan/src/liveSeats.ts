// The live seat map of one concert: the layout once (it never changes), the seat state once, then the deltas the
// gateway streams (server-sent events, at most one a second). No polling: a taken seat greys when its delta arrives.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, errorText, type Seat, type SeatLayout, type SeatState, type SeatStateDelta } from "./api";

export interface TierCount { tier: string; name: string; price: number; currency: string; capacity: number; available: number }
export interface SectionCount { code: string; tier: string; capacity: number; available: number }

export interface LiveSeats {
  /** True once the layout and a state that matches it arrived. */
  ready: boolean;
  /** The venue's seats (from the layout). */
  capacity: number;
  /**
   * The seats of one section (or of the whole venue with null) in layout order with their status, built when asked:
   * a stadium's overview draws from the per-section counts and never makes 60,000 seat objects.
   */
  seatsIn(section: string | null): Seat[];
  /** A seat's status now ("available", "held", "sold"), or null for a seat the layout does not have. */
  statusOf(seatId: string): string | null;
  /** A number that changes whenever any seat's status does (for effects that follow the state). */
  version: number;
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

/** Layout and state reads started before the page that shows them mounted (see prefetchSeats), taken once. */
const prefetched = new Map<string, { layout: Promise<SeatLayout>; state: Promise<SeatState> }>();

/**
 * Starts reading a concert's layout and seat state now (from the route, while the concert itself is still being read),
 * so the seat map does not wait for one round trip after another.
 */
export function prefetchSeats(concertId: string): void {
  if (prefetched.has(concertId)) return;
  const reads = { layout: api.layout(concertId), state: api.seatState(concertId) };
  reads.layout.catch(() => undefined);
  reads.state.catch(() => undefined);
  prefetched.set(concertId, reads);
  window.setTimeout(() => prefetched.delete(concertId), 10_000);
}

function take(concertId: string) {
  const reads = prefetched.get(concertId);
  prefetched.delete(concertId);
  return reads ?? { layout: api.layout(concertId), state: api.seatState(concertId) };
}
const statusOf: Record<string, string> = { a: "available", h: "held", s: "sold" };

/**
 * Where each seat's letter sits in its section's state string, from the immutable layout (built once per layout, a
 * few hundred entries for a stadium): per section its tier and price, and each row's label and first index.
 */
interface SectionIndex {
  code: string; tier: string; price: number; currency: string; position: number;
  rows: { label: string; seats: number; start: number }[];
  rowStart: Map<string, { seats: number; start: number }>;
}

function indexOf(layout: SeatLayout): SectionIndex[] {
  const tiers = new Map(layout.tiers.map((tier) => [tier.code, tier]));
  return layout.sections.map((section, position) => {
    const tier = tiers.get(section.tier);
    let start = 0;
    const rows = section.rows.map((row) => {
      const placed = { label: row.label, seats: row.seats, start };
      start += row.seats;
      return placed;
    });
    return {
      code: section.code, tier: section.tier, price: tier?.price ?? 0, currency: tier?.currency ?? "", position,
      rows, rowStart: new Map(rows.map((row) => [row.label, row])),
    };
  });
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
    const reads = take(concertId);
    reads.layout.then((loaded) => {
      performance.mark("ticketing:layout-read");
      if (!closed) setLayout(loaded);
    }, (failure) => !closed && setError(errorText(failure)));
    reads.state.then((read) => {
      performance.mark("ticketing:seat-state-read");
      if (!closed) accept(read);
    }, (failure) => {
      if (!closed && !current.current) setError(errorText(failure));
    });

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

  const index = useMemo(() => (layout ? indexOf(layout) : null), [layout]);
  const bySection = useMemo(() => new Map((index ?? []).map((section) => [section.code, section])), [index]);
  const ready = !!index && !!state && !!layout && state.layoutVersion === layout.layoutVersion;

  const takenNow = (seatId: string, status: string, now: number) =>
    status === "available" && (overrides.get(seatId) ?? 0) > now ? "held" : status;

  function seatsOfSection(section: SectionIndex, now: number): Seat[] {
    const codes = state!.sections[section.position]?.seats ?? "";
    const seats: Seat[] = [];
    for (const row of section.rows) {
      for (let number = 1; number <= row.seats; number++) {
        const seatId = `${section.code}-${row.label}-${number}`;
        seats.push({
          seatId, section: section.code, row: row.label, number, tier: section.tier, price: section.price, currency: section.currency,
          status: takenNow(seatId, statusOf[codes[row.start + number - 1]] ?? "available", now),
        });
      }
    }
    return seats;
  }

  // Seats built for a state are kept until the state (or a refused seat) changes: pages render every second.
  const built = useMemo(() => new Map<string, Seat[]>(), [state, overrides, index]);
  const seatsIn = (code: string | null): Seat[] => {
    if (!ready) return [];
    const key = code ?? "\u0000all";
    let seats = built.get(key);
    if (!seats) {
      const now = Date.now();
      const section = code === null ? null : bySection.get(code);
      seats = code === null ? index!.flatMap((each) => seatsOfSection(each, now)) : section ? seatsOfSection(section, now) : [];
      built.set(key, seats);
    }
    return seats;
  };

  const seatStatus = (seatId: string): string | null => {
    if (!ready) return null;
    // Seat ids are "{section}-{row}-{number}"; a section code or row label may itself hold a dash, so try each split.
    const parts = seatId.split("-");
    const number = Number(parts[parts.length - 1]);
    for (let cut = 1; cut < parts.length - 1; cut++) {
      const section = bySection.get(parts.slice(0, cut).join("-"));
      const row = section?.rowStart.get(parts.slice(cut, -1).join("-"));
      if (section && row && number >= 1 && number <= row.seats) {
        const code = state!.sections[section.position]?.seats[row.start + number - 1];
        return takenNow(seatId, statusOf[code ?? "a"] ?? "available", Date.now());
      }
    }
    return null;
  };

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
    ready,
    capacity: layout?.capacity ?? 0,
    seatsIn,
    statusOf: seatStatus,
    version: (state?.version ?? 0) * 1000 + overrides.size,
    tiers,
    sections,
    salesStopped: state?.salesStopped ?? false,
    error: ready ? null : error,
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
