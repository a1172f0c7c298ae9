import { useEffect, useState } from "preact/hooks";
import { api, ApiError, errorText, type Availability, type Concert, type Hold, type Seat } from "../api";
import { cart, cartActions } from "../cart";
import { Notice, useNow } from "../components/common";
import { HoldPanel } from "../components/HoldPanel";
import { SeatMap, tierColours } from "../components/SeatMap";
import { Artwork, StateChip } from "../design/ui";
import type { ImageRef } from "../merch/merchApi";
import { concertState } from "./HomePage";
import { SectionOverview } from "../components/SectionOverview";
import { Approx } from "../components/Price";
import { VenueTime } from "../components/VenueTime";
import { formatCountdown, formatMoney, formatTime, localName } from "../format";
import { holdNotice } from "../holdWatch";
import { useLiveSeats } from "../liveSeats";
import { t } from "../i18n/i18n";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { SignInNeeded } from "./SignInPage";

const maxPerRequest = 10;

/** A venue bigger than this opens on its sections (seats left in each), then the seats of the section picked. */
export const overviewAboveSeats = 2000;

export function ConcertPage({ id }: { id: string }) {
  const [concert, setConcert] = useState<Concert | null>(null);
  const [images, setImages] = useState<ImageRef[]>([]);
  const live = useLiveSeats(id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tier, setTier] = useState("");
  const [quantity, setQuantity] = useState(2);
  const [wide, setWide] = useState(window.innerWidth >= 720);
  const [section, setSection] = useState<string | null>(null);
  const fan = useSignal(currentFan);
  const { hold } = useSignal(cart);
  const [mine, setMine] = useState<Hold[]>([]);
  const now = useNow();

  // The first time the map (a stadium's section overview, or the seats) is on screen: the render the benchmark times.
  const drawn = live.ready && !!concert;
  useEffect(() => {
    if (drawn) performance.mark("ticketing:seat-map-drawn");
  }, [drawn]);

  useEffect(() => {
    const onResize = () => setWide(window.innerWidth >= 720);
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);

  useEffect(() => {
    api.concert(id).then((c) => {
      setConcert(c);
      setTier((current) => current || c.priceTiers[0]?.code || "");
    }, (failure) => setLoadError(errorText(failure)));
    api.concertImages(id).then(setImages, () => setImages([]));
  }, [id]);

  /**
   * The fan's holds on this concert as the server knows them, whichever device placed them: their seats show as the
   * fan's own, and a hold this browser's cart does not know (placed on the fan's phone, say) comes into the cart, so it
   * can be paid for here. A hold in the cart that the server no longer has (let go or expired on the other device)
   * leaves it. An answer that arrives after the cart changed on this device is not applied to the cart.
   */
  async function findMine(): Promise<Hold[]> {
    if (!currentFan.value || !concert) return [];
    const before = cart.value.hold?.holdId;
    let holds: Hold[];
    try {
      holds = await api.myHolds(id);
    } catch {
      return [];
    }
    setMine(holds);
    const inCart = cart.value.hold;
    if (inCart?.holdId !== before || (inCart && inCart.concertId !== id)) return holds;
    const held = holds.filter((candidate) => candidate.status === "Held");
    if (inCart && held.some((candidate) => candidate.holdId === inCart.holdId)) return holds;
    if (held.length > 0) cartActions.setHold(held[0], localName(concert.names?.title, concert.title));
    else if (inCart) cartActions.clearHold();
    return holds;
  }

  useEffect(() => {
    if (fan && concert) void findMine();
    else setMine([]);
  }, [fan, concert?.id]);

  // A seat someone else took leaves the fan's selection as soon as the map shows it taken, and the fan is told why
  // (not while their own hold is on its way: its seats turn taken too, and a refusal brings its own words; nor when
  // the fan took it on another device: it turns theirs here too).
  useEffect(() => {
    if (!live.ready) return;
    const gone = [...selected].filter((seatId) => live.statusOf(seatId) !== "available");
    if (gone.length === 0) return;
    setSelected((current) => new Set([...current].filter((seatId) => live.statusOf(seatId) === "available")));
    if (busy) return;
    void findMine().then((holds) => {
      const own = new Set(holds.flatMap((candidate) => candidate.seatIds));
      if (gone.some((seatId) => !own.has(seatId))) setError(t("errors.seatsTaken"));
    });
  }, [live.version, live.ready]);

  if (loadError || live.error) return <Notice kind="error">{loadError ?? live.error}</Notice>;
  if (!concert || !live.ready) return <p>{t("concert.loading")}</p>;

  const limit = Math.min(concert.ticketLimitPerFan, maxPerRequest);
  const tiers = concert.priceTiers.map((t) => t.code);
  const tierNames = Object.fromEntries(concert.priceTiers.map((t) => [t.code, t.name]));
  const yours = new Set([...(hold && hold.concertId === id ? hold.seatIds : []), ...mine.flatMap((own) => own.seatIds).filter((seatId) => live.statusOf(seatId) !== "available")]);
  const opensIn = Date.parse(concert.saleOpensAt) - now;
  const open = opensIn <= 0 && !live.salesStopped && concert.status === "Published";
  const hasOtherHold = !!hold && hold.concertId !== id;

  const title = localName(concert.names?.title, concert.title);
  const artist = localName(concert.names?.artist, concert.artist);
  const left = live.tiers.reduce((sum, count) => sum + count.available, 0);
  const state = concertState(concert, { salesStopped: live.salesStopped, available: left } as Availability, now);
  const bySection = live.capacity > overviewAboveSeats && live.sections.length > 1;
  // Seats are made only for what is drawn: one section of a stadium, the whole of a smaller venue.
  const shown = bySection ? (section ? live.seatsIn(section) : []) : live.seatsIn(null);
  const city = localName(concert.names?.city, concert.city);

  function toggle(seat: Seat) {
    setError(null);
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(seat.seatId)) next.delete(seat.seatId);
      else if (next.size >= limit) {
        setError(t("concert.tooMany", { limit }));
        return current;
      } else next.add(seat.seatId);
      return next;
    });
  }

  async function place(request: () => Promise<import("../api").Hold>) {
    if (!concert) return;
    setBusy(true);
    setError(null);
    try {
      const placed = await request();
      if (hold) {
        // One hold at a time: the new choice replaces the old one, which is let go only once the new one is held.
        await api.releaseHold(hold.holdId).catch(() => undefined);
      }
      holdNotice.set(null);
      cartActions.setHold(placed, title);
      setSelected(new Set());
      void findMine();
    } catch (failure) {
      setError(errorText(failure));
      if (failure instanceof ApiError && failure.status === 409 && Array.isArray(failure.problem?.seatIds)) {
        // The hold's answer wins over what the map showed: those seats grey at once, and a fresh state follows.
        const taken = new Set(failure.problem.seatIds as string[]);
        live.markTaken([...taken]);
        setSelected((current) => new Set([...current].filter((seatId) => !taken.has(seatId))));
      } else {
        live.refresh();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div class="concert-hero">
        <Artwork images={images} seed={concert.id} artist={artist} alt={t("concert.artworkAlt", { title, artist })} size="hero" testId="concert-artwork" />
        <header class="concert-head">
          <p class="eyebrow">{artist}</p>
          <h1>{title}</h1>
          <p>{localName(concert.names?.venue, concert.venue)}, {city}</p>
          <VenueTime label="time.startsAt" iso={concert.startsAt} timeZone={concert.timeZone} city={city} testId="show-time" />
          <VenueTime label="time.saleOpens" iso={concert.saleOpensAt} timeZone={concert.timeZone} city={city} testId="sale-time" />
          <StateChip state={state.state} testId="concert-state">{state.text}</StateChip>
          <p data-testid="ticket-limit"><strong>{t("concert.limit", { limit: concert.ticketLimitPerFan })}</strong></p>
        </header>
      </div>

      {concert.status === "Cancelled" && <Notice kind="error">{t("concert.cancelled")}</Notice>}
      {live.salesStopped && concert.status !== "Cancelled" && <Notice kind="info">{t("concert.salesStopped")}</Notice>}
      {opensIn > 0 && <Notice kind="info">{t("concert.notOpenYet", { when: formatTime(concert.saleOpensAt) })} {t("home.saleOpensIn", { countdown: formatCountdown(opensIn) })}</Notice>}

      <section aria-labelledby="prices-heading" class="prices">
        <h2 id="prices-heading">{t("concert.prices")}</h2>
        <ul class="legend">
          {live.tiers.map((tier, i) => (
            <li key={tier.tier} data-testid="tier-price">
              <span class="swatch" style={{ background: tierColours[i % tierColours.length] }} aria-hidden="true" />
              {t("concert.tierPrice", { name: tier.name, price: formatMoney(tier.price, tier.currency), left: tier.available })}
              <Approx amount={tier.price} currency={tier.currency} />
            </li>
          ))}
          <li><span class="swatch swatch-taken" aria-hidden="true" />{t("concert.legendTaken")}</li>
          <li><span class="swatch swatch-selected" aria-hidden="true" />{t("concert.legendSelected")}</li>
          <li><span class="swatch swatch-yours" aria-hidden="true" />{t("concert.legendYours")}</li>
        </ul>
      </section>

      <HoldPanel onReleased={() => { live.refresh(); void findMine(); }} />
      {error && <Notice kind="error" testId="hold-error">{error}</Notice>}
      {hasOtherHold && <Notice kind="info">{t("hold.title")}: {hold!.concertTitle}</Notice>}

      <section aria-labelledby="map-heading" class="map-section">
        <h2 id="map-heading">{bySection && section ? t("concert.sectionHeading", { section }) : t("concert.seatMap")}</h2>
        {bySection && !section ? (
          <>
            <p class="muted">{t("concert.sectionsHint")}</p>
            <SectionOverview sections={live.sections} tiers={tiers} tierNames={tierNames} onPick={setSection} />
          </>
        ) : (
          <>
            {bySection && (
              <button type="button" class="button secondary" data-testid="all-sections" onClick={() => setSection(null)}>{t("concert.allSections")}</button>
            )}
            <p class="muted" id="seat-map-keys">{t("concert.seatMapHint")}</p>
            <div class="map-scroll">
              <SeatMap seats={shown} tiers={tiers} tierNames={tierNames} selected={selected} yours={yours} columns={wide && !bySection ? 3 : 1} onToggle={toggle} />
            </div>
          </>
        )}
      </section>

      {!fan ? <SignInNeeded /> : open && (
        <div class="choose">
          <section class="panel" aria-labelledby="pick-heading">
            <h2 id="pick-heading">{t("concert.selected", { count: selected.size })}</h2>
            <p class="muted">{[...selected].join(", ")}</p>
            <div class="actions">
              <button type="button" class="button" data-testid="hold-selected" disabled={busy || selected.size === 0}
                onClick={() => place(() => api.holdSeats(id, [...selected]))}>
                {t("concert.holdSelected", { count: selected.size })}
              </button>
              <button type="button" class="button secondary" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
                {t("concert.clearSelection")}
              </button>
            </div>
          </section>
          <section class="panel" aria-labelledby="best-heading">
            <h2 id="best-heading">{t("concert.bestAvailable")}</h2>
            <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void place(() => api.holdBest(id, tier, quantity)); }}>
              <label>
                {t("concert.tier")}
                <select value={tier} onChange={(e) => setTier((e.target as HTMLSelectElement).value)} data-testid="best-tier">
                  {concert.priceTiers.map((option) => (
                    <option key={option.code} value={option.code}>{option.name} · {formatMoney(option.price, option.currency)}</option>
                  ))}
                </select>
              </label>
              <label>
                {t("concert.quantity")}
                <select value={String(quantity)} onChange={(e) => setQuantity(Number((e.target as HTMLSelectElement).value))} data-testid="best-quantity">
                  {Array.from({ length: limit }, (_, i) => i + 1).map((n) => <option key={n} value={String(n)}>{n}</option>)}
                </select>
              </label>
              <button type="submit" class="button" disabled={busy}>{t("concert.holdBest")}</button>
            </form>
          </section>
        </div>
      )}
    </>
  );
}
