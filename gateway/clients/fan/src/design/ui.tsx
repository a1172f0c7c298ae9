// The fan app's small set of components: every page is built from these (and src/design/components.css styles them
// from the tokens), not from styles of its own.
import type { ComponentChildren, JSX } from "preact";
import { useRef } from "preact/hooks";
import { Link } from "../components/common";
import { t } from "../i18n/i18n";
import { pictureUrl } from "../merch/merchApi";
import type { ImageRef } from "../merch/merchApi";
import { currentTheme, chooseTheme } from "./theme";
import { useSignal } from "../signal";

/** A surface holding one thing (a drop, a ticket, a panel); `as` picks the element (li in a list). */
export function Card({ as = "div", class: extra, children, ...rest }: {
  as?: "div" | "li" | "section" | "article"; class?: string; children: ComponentChildren;
} & Omit<JSX.HTMLAttributes<HTMLElement>, "as" | "class">) {
  const Tag = as as "div";
  return <Tag class={`card${extra ? ` ${extra}` : ""}`} {...(rest as JSX.HTMLAttributes<HTMLDivElement>)}>{children}</Tag>;
}

type ButtonKind = "primary" | "secondary" | "ghost";

/** A button: primary (one per view: the next step), secondary, or ghost. */
export function Button({ kind = "primary", class: extra, children, ...rest }: {
  kind?: ButtonKind; class?: string; children: ComponentChildren;
} & Omit<JSX.HTMLAttributes<HTMLButtonElement>, "class">) {
  return <button type="button" class={`button button-${kind}${extra ? ` ${extra}` : ""}`} {...rest}>{children}</button>;
}

/** An in-app link that looks like a button. */
export function ButtonLink({ href, kind = "primary", children }: { href: string; kind?: ButtonKind; children: ComponentChildren }) {
  return <Link href={href} class={`button button-${kind}`}>{children}</Link>;
}

/** What a drop's state is, at a glance: on sale (live), opens in (soon), queue, sold out or stopped (off). */
export type DropState = "live" | "soon" | "queue" | "off";

export function StateChip({ state, testId, children }: { state: DropState; testId?: string; children: ComponentChildren }) {
  return <p class={`chip chip-${state}`} data-testid={testId} data-state={state}>{children}</p>;
}

/**
 * A countdown with a bar that empties as the time runs out (the hold's): the bar's full length is the time left when
 * it was first shown; under a minute it turns urgent. The text is a timer screen readers read on demand, not every second.
 */
export function CountdownBar({ leftMs, text, label, testId }: { leftMs: number; text: string; label: string; testId?: string }) {
  const first = useRef(Math.max(leftMs, 1));
  if (leftMs > first.current) first.current = leftMs;
  const share = Math.max(0, Math.min(1, leftMs / first.current));
  const urgent = leftMs < 60_000;
  return (
    <div class={`countdown-block${urgent ? " urgent" : ""}`}>
      <p class="countdown" data-testid={testId} role="timer" aria-live="off">{text}</p>
      <div class="meter" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
        <span class="meter-fill" style={{ transform: `scaleX(${share})` }} />
      </div>
    </div>
  );
}

/** A number that says where something stands (the queue's progress), drawn as a bar that moves smoothly. */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div class="meter meter-progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
      <span class="meter-fill" style={{ transform: `scaleX(${value / 100})` }} />
    </div>
  );
}

/** A stable number from a text (a concert's id), to pick the generated artwork's colours. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/**
 * A concert's or product's picture from the Catalog, else artwork made from its name: a two-colour gradient picked
 * from its id (always the same for one concert) with the artist's name set large. `alt` empty when the text next to
 * it already says what it is.
 */
export function Artwork({ images, seed, artist, alt, size, testId }: {
  images?: ImageRef[] | null; seed: string; artist: string; alt: string; size: "card" | "hero" | "thumb"; testId?: string;
}) {
  const image = images?.[0];
  const width = size === "hero" ? 1280 : size === "card" ? 480 : 160;
  if (image) {
    return (
      <img class={`artwork artwork-${size}`} src={pictureUrl(image, width)} alt={alt} width={width} height={Math.round(width * (size === "hero" ? 0.42 : 0.75))}
        loading={size === "hero" ? "eager" : "lazy"} data-testid={testId} data-artwork="picture" />
    );
  }
  const hash = hashOf(seed);
  const hue = hash % 360;
  const second = (hue + 40 + ((hash >> 9) % 80)) % 360;
  const angle = 120 + ((hash >> 17) % 100);
  const style = { backgroundImage: `linear-gradient(${angle}deg, hsl(${hue} 62% 30%), hsl(${second} 70% 38%))` };
  return (
    <div class={`artwork artwork-${size} artwork-generated`} style={style} role={alt ? "img" : undefined} aria-label={alt || undefined}
      aria-hidden={alt ? undefined : "true"} data-testid={testId} data-artwork="generated">
      <span class="artwork-word" aria-hidden="true">{artist}</span>
    </div>
  );
}

/** Light or dark, remembered: a switch in the header (the system's theme until the fan flips it). */
export function ThemeSwitch() {
  const theme = useSignal(currentTheme);
  const dark = theme === "dark";
  return (
    <button type="button" class="icon-button" aria-pressed={dark} aria-label={t("theme.dark")} title={t("theme.dark")}
      data-testid="theme-switch" onClick={() => chooseTheme(dark ? "light" : "dark")}>
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span>
    </button>
  );
}
