import { useState } from "preact/hooks";
import { api, errorText, type Product } from "../api";
import { cartActions } from "../cart";
import { Link, Notice, useNow, usePolling } from "../components/common";
import { Price } from "../components/Price";
import { Artwork, StateChip } from "../design/ui";
import { formatCountdown, formatTime, localName } from "../format";
import { t } from "../i18n/i18n";
import { InclusionNote, LuckyDrawPanel, ProductPictures, VersionPicker } from "../merch/MerchDrop";
import { merchMessages } from "../merch/merchMessages";
import { passFor } from "../queue/admission";
import { navigate } from "../router";
import { currentFan } from "../session";
import { useSignal } from "../signal";
import { SignInNeeded } from "./SignInPage";

export function MerchPage() {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  usePolling(async () => {
    try {
      setProducts((await api.products()).items);
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
      throw failure; // asked again soon (usePolling)
    }
  }, 5000, []);

  return (
    <>
      <h1>{t("merch.title")}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      {products === null ? <p>{t("loading")}</p> : products.length === 0 ? <p>{t("home.noMerch")}</p> : (
        <ul class="cards">
          {products.map((product) => (
            <li key={product.id} class="card card-media card-link drop-card">
              <div class="drop-card-media">
                <Artwork images={product.images} seed={product.id} artist={localName(product.names?.artist, product.artist)} alt="" size="card" />
                <Availability product={product} now={now} />
              </div>
              <div class="card-body">
                <p class="eyebrow">{localName(product.names?.artist, product.artist)}</p>
                <h2 class="h3"><Link href={`/merch/${product.id}`}>{localName(product.names?.name, product.name)}</Link></h2>
                <div class="price-line"><p class="price"><Price amount={product.price} currency={product.currency} /></p></div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Availability({ product, now }: { product: Product; now: number }) {
  const releaseIn = product.releaseAt ? Date.parse(product.releaseAt) - now : 0;
  if (product.soldOut) return <StateChip state="off" testId="product-state">{t("merch.soldOut")}</StateChip>;
  if (releaseIn > 0) return <StateChip state="soon" testId="product-state">{t("merch.releaseIn", { countdown: formatCountdown(releaseIn) })}</StateChip>;
  return <StateChip state="live" testId="product-state">{t("merch.stockLeft", { count: product.available })}</StateChip>;
}

export function ProductPage({ id }: { id: string }) {
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState(false);
  const [variant, setVariant] = useState<string | null>(null);
  const [won, setWon] = useState(false);
  const fan = useSignal(currentFan);
  const now = useNow();

  usePolling(async () => {
    try {
      const loaded = await api.product(id);
      setProduct(loaded);
      // A product with versions starts on the first one that is not sold out.
      setVariant((chosen) => chosen ?? loaded.variants?.find((v) => !v.soldOut)?.code ?? loaded.variants?.[0]?.code ?? null);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, 3000, [id]);

  if (!product) return error ? <Notice kind="error">{error}</Notice> : <p>{t("loading")}</p>;

  const releaseIn = product.releaseAt ? Date.parse(product.releaseAt) - now : 0;
  const released = product.released || releaseIn <= 0;
  const version = product.variants?.find((v) => v.code === variant) ?? null;
  const available = version ? version.available : product.available;
  const luckyDrawOnly = !!product.soldByLuckyDraw && !won && !passFor(product.id);
  const purchasable = released && !product.soldOut && available > 0 && !luckyDrawOnly;
  const max = Math.max(1, Math.min(product.limitPerFan, available));
  const name = localName(product.names?.name, product.name);

  return (
    <article class="product">
      <p class="eyebrow">{localName(product.names?.artist, product.artist)}</p>
      <h1>{name}</h1>
      <ProductPictures images={product.images ?? []} variant={variant} name={name} />
      {product.description && <p>{product.description}</p>}
      <p class="price"><Price amount={product.price} currency={product.currency} testId="product-price" /></p>
      <ul class="facts">
        <li data-testid="product-stock">{product.soldOut || available === 0 ? t("merch.soldOut") : t("merch.stockLeft", { count: available })}</li>
        <li data-testid="product-limit">{t("merch.limit", { count: product.limitPerFan })}</li>
        {product.releaseAt && <li>{t("time.releaseAt", { when: formatTime(product.releaseAt) })}</li>}
      </ul>
      {product.inclusion && <InclusionNote inclusion={product.inclusion} />}
      {!!product.components?.length && <p class="muted">{merchMessages.bundle(product.components.length)}</p>}
      {product.soldOut && <Notice kind="info" testId="sold-out">{t("merch.soldOut")}</Notice>}
      {product.soldByLuckyDraw && <LuckyDrawPanel productId={product.id} signedIn={!!fan} onWon={setWon} />}
      {luckyDrawOnly && <p class="muted">{merchMessages.mustWin}</p>}
      {!released && product.releaseAt && (
        <Notice kind="info" testId="not-released">
          {t("merch.notReleased", { when: formatTime(product.releaseAt) })} · {t("merch.releaseIn", { countdown: formatCountdown(releaseIn) })}
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {added && <Notice kind="success">{t("merch.added", { name })}</Notice>}
      {!fan ? <SignInNeeded /> : (
        <>
        {!!product.variants?.length && <VersionPicker variants={product.variants} value={variant} onChange={(code) => { setVariant(code); setQuantity(1); }} />}
        <form class="inline-form" onSubmit={(e) => {
          e.preventDefault();
          cartActions.addMerch({ ...product, name }, quantity, variant);
          setAdded(true);
          navigate("/checkout");
        }}>
          <label>
            {t("merch.quantity")}
            <select value={String(quantity)} disabled={!purchasable} onChange={(e) => setQuantity(Number((e.target as HTMLSelectElement).value))} data-testid="merch-quantity">
              {Array.from({ length: max }, (_, i) => i + 1).map((n) => <option key={n} value={String(n)}>{n}</option>)}
            </select>
          </label>
          <button type="submit" class="button" disabled={!purchasable}>{t("merch.addToOrder")}</button>
        </form>
        </>
      )}
    </article>
  );
}
