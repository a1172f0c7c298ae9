import { useRef, useState } from "preact/hooks";
import { api, errorText, type Availability, type Concert, type Product } from "../api";
import { Link, Notice, useNow, usePolling } from "../components/common";
import { Approx, Price } from "../components/Price";
import { VenueTime } from "../components/VenueTime";
import { formatCountdown, formatMoney, formatTime, localName } from "../format";
import { t } from "../i18n/i18n";
import { Artwork, StateChip, type DropState } from "../design/ui";
import type { ImageRef } from "../merch/merchApi";

export function HomePage() {
  const [concerts, setConcerts] = useState<Concert[] | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [availability, setAvailability] = useState<Record<string, Availability>>({});
  const [artwork, setArtwork] = useState<Record<string, ImageRef[]>>({});
  const artworkSeen = useRef<Record<string, ImageRef[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  const now = useNow();

  usePolling(async () => {
    try {
      const [concertPage, productPage] = await Promise.all([api.concerts(query), api.products()]);
      setConcerts(concertPage.items);
      setProducts(productPage.items);
      const published = concertPage.items.filter((c) => c.status === "Published");
      const answers = await Promise.all(published.map((c) => api.availability(c.id).catch(() => null)));
      setAvailability(Object.fromEntries(answers.filter((a): a is Availability => a !== null).map((a) => [a.concertId, a])));
      // Each concert's pictures once (a picture never changes; a concert without one gets generated artwork).
      const unknown = concertPage.items.filter((c) => !(c.id in artworkSeen.current));
      if (unknown.length) {
        const found = await Promise.all(unknown.map((c) => api.concertImages(c.id).catch(() => [])));
        unknown.forEach((c, i) => (artworkSeen.current[c.id] = found[i]));
        setArtwork({ ...artworkSeen.current });
      }
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
      throw failure; // asked again soon (usePolling)
    }
  }, 10000, [query]);

  return (
    <>
      <h1>{t("home.title")}</h1>
      <p class="intro">{t("home.intro")}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <form role="search" class="inline-form search" onSubmit={(e) => { e.preventDefault(); setQuery(typed.trim()); }}>
        <label>
          {t("home.search")}
          <input type="search" value={typed} maxLength={100} data-testid="concert-search"
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="button button-secondary">{t("home.searchButton")}</button>
      </form>
      <section aria-labelledby="concerts-heading">
        <h2 id="concerts-heading">{t("home.concerts")}</h2>
        {concerts === null ? <p>{t("loading")}</p> : concerts.length === 0
          ? <p>{query ? t("home.noMatch", { query }) : t("home.noConcerts")}</p>
          : (
            <ul class="cards">
              {concerts.map((concert) => (
                <li key={concert.id} class="card card-media card-link drop-card" data-testid="concert-card">
                  <ConcertCard concert={concert} availability={availability[concert.id]} images={artwork[concert.id]} now={now} />
                </li>
              ))}
            </ul>
          )}
      </section>
      <section aria-labelledby="merch-heading">
        <h2 id="merch-heading">{t("home.merch")}</h2>
        {products === null ? <p>{t("loading")}</p> : products.length === 0 ? <p>{t("home.noMerch")}</p> : (
          <ul class="cards">
            {products.map((product) => (
              <li key={product.id} class="card card-media card-link drop-card" data-testid="product-card">
                <ProductCard product={product} now={now} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** A concert drop's state: cancelled, stopped or sold out; its waiting room; opening in; or on sale. */
export function concertState(concert: Concert, availability: Availability | undefined, now: number): { state: DropState; text: string } {
  const opensIn = Date.parse(concert.saleOpensAt) - now;
  const room = concert.waitingRoom;
  if (concert.status === "Cancelled") return { state: "off", text: t("home.cancelled") };
  if (availability?.salesStopped) return { state: "off", text: t("home.salesStopped") };
  if (availability && availability.available === 0) return { state: "off", text: t("home.soldOut") };
  if (opensIn > 0 && room && Date.parse(room.opensAt) <= now) return { state: "queue", text: t("home.queueOpen", { countdown: formatCountdown(opensIn) }) };
  if (opensIn > 0) return { state: "soon", text: t("home.saleOpensIn", { countdown: formatCountdown(opensIn) }) };
  if (room) return { state: "queue", text: t("home.queue") };
  return { state: "live", text: t("home.onSaleNow") };
}

function ConcertCard({ concert, availability, images, now }: { concert: Concert; availability?: Availability; images?: ImageRef[]; now: number }) {
  const cheapest = Math.min(...concert.priceTiers.map((tier) => tier.price));
  const currency = concert.priceTiers[0]?.currency ?? "USD";
  const city = localName(concert.names?.city, concert.city);
  const artist = localName(concert.names?.artist, concert.artist);
  const { state, text } = concertState(concert, availability, now);
  return (
    <>
      <div class="drop-card-media">
        <Artwork images={images} seed={concert.id} artist={artist} alt="" size="card" testId="concert-artwork" />
        <StateChip state={state} testId="concert-badge">{text}</StateChip>
      </div>
      <div class="card-body">
        <p class="eyebrow" data-testid="concert-artist">{artist}</p>
        <h3><Link href={`/concerts/${concert.id}`}>{localName(concert.names?.title, concert.title)}</Link></h3>
        <p class="facts-line">{localName(concert.names?.venue, concert.venue)}, {city}</p>
        <div class="facts-line">
          <VenueTime label="time.startsAt" iso={concert.startsAt} timeZone={concert.timeZone} city={city} />
          <VenueTime label="time.saleOpens" iso={concert.saleOpensAt} timeZone={concert.timeZone} city={city} />
        </div>
        <div class="price-line">
          <p class="price">{t("home.from", { price: formatMoney(cheapest, currency) })}<Approx amount={cheapest} currency={currency} /></p>
        </div>
      </div>
    </>
  );
}

function ProductCard({ product, now }: { product: Product; now: number }) {
  const releaseIn = product.releaseAt ? Date.parse(product.releaseAt) - now : 0;
  const artist = localName(product.names?.artist, product.artist);
  const state: DropState = product.soldOut ? "off" : releaseIn > 0 ? "soon" : "live";
  const text = product.soldOut ? t("home.soldOut") : releaseIn > 0 ? t("home.releaseIn", { countdown: formatCountdown(releaseIn) }) : t("home.available");
  return (
    <>
      <div class="drop-card-media">
        <Artwork images={product.images} seed={product.id} artist={artist} alt="" size="card" />
        <StateChip state={state} testId="product-badge">{text}</StateChip>
      </div>
      <div class="card-body">
        <p class="eyebrow">{artist}</p>
        <h3><Link href={`/merch/${product.id}`}>{localName(product.names?.name, product.name)}</Link></h3>
        {product.releaseAt && <p class="facts-line">{t("time.releaseAt", { when: formatTime(product.releaseAt) })}</p>}
        <div class="price-line"><p class="price"><Price amount={product.price} currency={product.currency} /></p></div>
      </div>
    </>
  );
}
