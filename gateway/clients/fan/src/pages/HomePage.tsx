import { useState } from "preact/hooks";
import { api, errorText, type Availability, type Concert, type Product } from "../api";
import { Link, Notice, useNow, usePolling } from "../components/common";
import { formatCountdown, formatMoney, formatTime } from "../format";
import { messages } from "../messages";

export function HomePage() {
  const [concerts, setConcerts] = useState<Concert[] | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [availability, setAvailability] = useState<Record<string, Availability>>({});
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  usePolling(async () => {
    try {
      const [concertPage, productPage] = await Promise.all([api.concerts(), api.products()]);
      setConcerts(concertPage.items);
      setProducts(productPage.items);
      const published = concertPage.items.filter((c) => c.status === "Published");
      const answers = await Promise.all(published.map((c) => api.availability(c.id).catch(() => null)));
      setAvailability(Object.fromEntries(answers.filter((a): a is Availability => a !== null).map((a) => [a.concertId, a])));
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, 10000, []);

  return (
    <>
      <h1>{messages.home.title}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <section aria-labelledby="concerts-heading">
        <h2 id="concerts-heading">{messages.home.concerts}</h2>
        {concerts === null ? <p>{messages.loading}</p> : concerts.length === 0 ? <p>{messages.home.noConcerts}</p> : (
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
        <h2 id="merch-heading">{messages.home.merch}</h2>
        {products === null ? <p>{messages.loading}</p> : products.length === 0 ? <p>{messages.home.noMerch}</p> : (
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
  const cheapest = Math.min(...concert.priceTiers.map((t) => t.price));
  const currency = concert.priceTiers[0]?.currency ?? "USD";
  let badge: { text: string; kind: string };
  if (concert.status === "Cancelled") badge = { text: messages.home.cancelled, kind: "grey" };
  else if (availability?.salesStopped) badge = { text: messages.home.salesStopped, kind: "grey" };
  else if (availability && availability.available === 0) badge = { text: messages.home.soldOut, kind: "grey" };
  else if (opensIn > 0) badge = { text: messages.home.saleOpensIn(formatCountdown(opensIn)), kind: "soon" };
  else badge = { text: messages.home.onSaleNow, kind: "live" };

  return (
    <>
      <p class="eyebrow">{concert.artist}</p>
      <h3><Link href={`/concerts/${concert.id}`}>{concert.title}</Link></h3>
      <p>{concert.venue}, {concert.city}</p>
      <p>{messages.time.startsAt(formatTime(concert.startsAt))}</p>
      <p>
        {messages.time.saleOpens(formatTime(concert.saleOpensAt))}
        <span class="muted"> ({messages.time.atVenue(formatTime(concert.saleOpensAt, concert.timeZone), concert.city)})</span>
      </p>
      <p class="price">{formatMoney(cheapest, currency)}+</p>
      <p class={`badge badge-${badge.kind}`} data-testid="concert-badge">{badge.text}</p>
    </>
  );
}

function ProductCard({ product, now }: { product: Product; now: number }) {
  const releaseIn = product.releaseAt ? Date.parse(product.releaseAt) - now : 0;
  let badge: { text: string; kind: string };
  if (product.soldOut) badge = { text: messages.home.soldOut, kind: "grey" };
  else if (releaseIn > 0) badge = { text: messages.home.releaseIn(formatCountdown(releaseIn)), kind: "soon" };
  else badge = { text: messages.home.available, kind: "live" };
  return (
    <>
      <p class="eyebrow">{product.artist}</p>
      <h3><Link href={`/merch/${product.id}`}>{product.name}</Link></h3>
      {product.releaseAt && <p>{messages.time.releaseAt(formatTime(product.releaseAt))}</p>}
      <p class="price">{formatMoney(product.price, product.currency)}</p>
      <p class={`badge badge-${badge.kind}`} data-testid="product-badge">{badge.text}</p>
    </>
  );
}
