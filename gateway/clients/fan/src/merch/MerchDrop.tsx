// The parts of a product page that make a merch drop: pictures, a version picker, the random card, the lucky draw,
// and the cards a fan drew, shown on their orders.
import "./merch.css";
import { useState } from "preact/hooks";
import { errorText } from "../api";
import { Notice, usePolling } from "../components/common";
import { formatTime } from "../format";
import { savePass } from "../queue/admission";
import { drawApi, pictureUrl, type DrawEntry, type DrawnInclusion, type ImageRef, type Inclusion, type LuckyDraw, type Variant } from "./merchApi";
import { merchMessages as m } from "./merchMessages";

/** The product's pictures: the chosen version's first, then the product's own; a large one and thumbnails. */
export function ProductPictures({ images, variant, name }: { images: ImageRef[]; variant: string | null; name: string }) {
  const shown = [...images.filter((image) => variant && image.variant === variant), ...images.filter((image) => !image.variant)];
  const [index, setIndex] = useState(0);
  if (shown.length === 0) return null;
  const current = shown[Math.min(index, shown.length - 1)];
  return (
    <div class="pictures" data-testid="product-pictures">
      <img class="pictures-main" src={pictureUrl(current, 640)} alt={m.pictureOf(name)} width={640} height={480} data-testid="product-picture" />
      {shown.length > 1 && (
        <ul class="pictures-thumbs">
          {shown.map((image, i) => (
            <li key={image.id}>
              <button type="button" aria-pressed={image.id === current.id} aria-label={m.showPicture(i + 1)} onClick={() => setIndex(i)}>
                <img src={pictureUrl(image, 160)} alt="" width={64} height={48} loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One radio button per version, with what is left of each; a sold-out version cannot be chosen. */
export function VersionPicker({ variants, value, onChange }: { variants: Variant[]; value: string | null; onChange: (code: string) => void }) {
  return (
    <fieldset class="versions" data-testid="versions">
      <legend>{m.chooseVersion}</legend>
      {variants.map((variant) => (
        <label key={variant.code} class="version">
          <input type="radio" name="version" value={variant.code} checked={value === variant.code} disabled={variant.soldOut}
            onChange={() => onChange(variant.code)} data-testid={`version-${variant.code}`} />
          {m.versionLeft(variant.name, variant.available)}
        </label>
      ))}
    </fieldset>
  );
}

export function InclusionNote({ inclusion }: { inclusion: Inclusion }) {
  return (
    <p class="muted" data-testid="inclusion">
      {m.inclusion(inclusion.name, inclusion.items.length)} {m.cardsLeft(inclusion.left)}
    </p>
  );
}

/** The lucky draw of a product: its window and commitment, entering, the fan's result; a winner's pass is kept for checkout. */
export function LuckyDrawPanel({ productId, signedIn, onWon }: { productId: string; signedIn: boolean; onWon: (won: boolean) => void }) {
  const [draw, setDraw] = useState<LuckyDraw | null | undefined>(undefined);
  const [entry, setEntry] = useState<DrawEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function learn(mine: DrawEntry | null) {
    setEntry(mine);
    if (mine?.result === "won" && mine.purchasePass && mine.purchaseBy) savePass(productId, mine.purchasePass, mine.purchaseBy);
    onWon(mine?.result === "won");
  }

  usePolling(async () => {
    try {
      const found = await drawApi.forProduct(productId);
      setDraw(found);
      if (found && signedIn) learn(await drawApi.mine(found.drawId));
    } catch (failure) {
      setError(errorText(failure));
    }
  }, 3000, [productId, signedIn]);

  if (draw === undefined) return null;
  if (draw === null) return <Notice kind="info" testId="no-draw">{m.noDraw}</Notice>;

  async function enter() {
    setBusy(true);
    setError(null);
    try {
      learn(await drawApi.enter(draw!.drawId));
    } catch (failure) {
      const reason = (failure as { problem?: { reason?: string } }).problem?.reason;
      setError(reason === "members_only" ? m.membersOnly : reason === "draw_not_open" ? m.drawNotOpen(formatTime(draw!.opensAt)) : reason === "draw_closed" ? m.drawClosed : errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  const open = draw.status === "open" && Date.parse(draw.closesAt) > Date.now();
  return (
    <section class="panel draw" aria-labelledby="draw-title" data-testid="lucky-draw" data-status={draw.status}>
      <h2 id="draw-title" class="h3">{m.drawTitle}: {draw.title}</h2>
      <p>{m.drawIntro}</p>
      <p class="muted">{m.drawWindow(formatTime(draw.opensAt), formatTime(draw.closesAt))}</p>
      <p class="muted">{m.drawCommitment} <code data-testid="draw-commitment">{draw.commitment}</code></p>
      {draw.seed && (
        <p class="muted">
          {m.drawSeed} <code data-testid="draw-seed">{draw.seed}</code>{" "}
          <a href={`/api/queue/lucky-draws/${draw.drawId}/entries`}>{m.drawVerify}</a>
        </p>
      )}
      {error && <Notice kind="error" testId="draw-error">{error}</Notice>}
      {entry ? <DrawResult entry={entry} /> : signedIn && open && (
        <button type="button" class="button" disabled={busy} onClick={enter} data-testid="enter-draw">{busy ? m.entering : m.enter}</button>
      )}
    </section>
  );
}

function DrawResult({ entry }: { entry: DrawEntry }) {
  const text = entry.result === "won" ? m.won(formatTime(entry.purchaseBy!))
    : entry.result === "waiting" ? m.waiting(entry.waitingPlace ?? 0)
    : m[entry.result];
  return <Notice kind={entry.result === "won" || entry.result === "claimed" ? "success" : "info"} testId="draw-result">{text}</Notice>;
}

/** The random cards an order's units came with. */
export function DrawnCards({ cards }: { cards: DrawnInclusion[] }) {
  if (!cards?.length) return null;
  return (
    <div>
      <p class="muted">{m.drawnCardsTitle}</p>
      <ul class="drawn-cards">
        {cards.map((card, i) => <li key={i} class="drawn-card" data-testid="drawn-card">{m.drawnCard(card.pool, card.itemName)}</li>)}
      </ul>
    </div>
  );
}
