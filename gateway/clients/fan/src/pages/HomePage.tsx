import { useState } from "preact/hooks";
import { api, errorText, type Availability, type Concert, type Product } from "../api";
import { Link, Notice, useNow, usePolling } from "../components/common";
import { Approx, Price } from "../components/Price";
import { VenueTime } from "../components/VenueTime";
import { formatCountdown, formatMoney, formatTime, localName } from "../format";
import { t } from "../i18n/i18n";

export function HomePage() {
  const [concerts, setConcerts] = useState<Concert[] | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [availability, setAvailability] = useState<Record<string, Availability>>({});
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
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, 10000, [query]);

  return (
    <>
      <h1>{t("home.title")}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <form role="search" class="inline-form search" onSubmit={(e) => { e.preventDefault(); setQuery(typed.trim()); }}>
        <label>
          {t("home.search")}
          <input type="search" value={typed} maxLength={100} data-testid="concert-search"
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="button">{t("home.searchButton")}</button>
      </form>
      <section aria-labelledby="concerts-heading">
        <h2 id="concerts-heading">{t("home.concerts")}</h2>
        {concerts === null ? <p>{t("loading")}</p> : concerts.length === 0
          ? <p>{query ? t("home.noMatch", { query }) : t("home.noConcerts")}</p>
          : (
            <ul class="cards">
              {concerts.map((concert) => (
                <li key={concert.id} class="card" data-testid="concert-card">
                  <ConcertCard concert={concert} availability={availability[concert.id]} now={now} />
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
              <li key={product.id} class="card" data-testid="product-card">
                <ProductCard product={product} now={now} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ConcertCard({ concert, availability, now }: { concert: Concert; availability?: Availability; now: number }) {
  const opensIn = Date.parse(concert.saleOpensAt) - now;
  const cheapest = Math.min(...concert.priceTiers.map((tier) => tier.price));
  const currency = concert.priceTiers[0]?.currency ?? "USD";
  const city = localName(concert.names?.city, concert.city);
  let badge: { text: string; kind: string };
  if (concert.status === "Cancelled") badge = { text: t("home.cancelled"), kind: "grey" };
  else if (availability?.salesStopped) badge = { text: t("home.salesStopped"), kind: "grey" };
  else if (availability && availability.available === 0) badge = { text: t("home.soldOut"), kind: "grey" };
  else if (opensIn > 0) badge = { text: t("home.saleOpensIn", { countdown: formatCountdown(opensIn) }), kind: "soon" };
  else badge = { text: t("home.onSaleNow"), kind: "live" };

  return (
    <>
      <p class="eyebrow" data-testid="concert-artist">{localName(concert.names?.artist, concert.artist)}</p>
      <h3><Link href={`/concerts/${concert.id}`}>{localName(concert.names?.title, concert.title)}</Link></h3>
      <p>{localName(concert.names?.venue, concert.venue)}, {city}</p>
      <VenueTime label="time.startsAt" iso={concert.startsAt} timeZone={concert.timeZone} city={city} />
      <VenueTime label="time.saleOpens" iso={concert.saleOpensAt} timeZone={concert.timeZone} city={city} />
      <p class="price">{t("home.from", { price: formatMoney(cheapest, currency) })}<Approx amount={cheapest} currency={currency} /></p>
      <p class={`badge badge-${badge.kind}`} data-testid="concert-badge">{badge.text}</p>
    </>
  );
}

function ProductCard({ product, now }: { product: Product; now: number }) {
  const releaseIn = product.releaseAt ? Date.parse(product.releaseAt) - now : 0;
  let badge: { text: string; kind: string };
  if (product.soldOut) badge = { text: t("home.soldOut"), kind: "grey" };
  else if (releaseIn > 0) badge = { text: t("home.releaseIn", { countdown: formatCountdown(releaseIn) }), kind: "soon" };
  else badge = { text: t("home.available"), kind: "live" };
  return (
    <>
      <p class="eyebrow">{localName(product.names?.artist, product.artist)}</p>
      <h3><Link href={`/merch/${product.id}`}>{localName(product.names?.name, product.name)}</Link></h3>
      {product.releaseAt && <p>{t("time.releaseAt", { when: formatTime(product.releaseAt) })}</p>}
      <p class="price"><Price amount={product.price} currency={product.currency} /></p>
      <p class={`badge badge-${badge.kind}`} data-testid="product-badge">{badge.text}</p>
    </>
  );
}
