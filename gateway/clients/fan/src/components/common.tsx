import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { navigate } from "../router";

/** The current time, ticking every second, for countdowns. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** How soon a poll that failed is first tried again (a page showing an error should not wait a full interval to recover). */
const firstRetryMs = 2000;

/**
 * Polls `load` every `intervalMs` while mounted. When `load` throws (having shown its error), the next poll comes
 * sooner: after 2 s, then 4 s, 8 s, ... up to the interval, so a page recovers from a blip at once while a drop's
 * thousands of open pages do not ask more often than usual during a longer outage.
 */
export function usePolling(load: () => Promise<void>, intervalMs: number, deps: unknown[]) {
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    let failures = 0;
    const tick = async () => {
      let next = intervalMs;
      try {
        await load();
        failures = 0;
      } catch {
        next = Math.min(intervalMs, firstRetryMs * 2 ** failures);
        failures++;
      } finally {
        if (!stopped) timer = window.setTimeout(tick, next);
      }
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, deps);
}

/** An in-app link: keeps the page, changes the route. */
export function Link(props: { href: string; class?: string; children: ComponentChildren; "aria-current"?: "page" | undefined }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props["aria-current"]}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

/** A message the screen reader announces: role=alert for errors, status for good news. */
export function Notice(props: { kind: "error" | "info" | "success"; children: ComponentChildren; testId?: string }) {
  return (
    <p class={`notice notice-${props.kind}`} role={props.kind === "error" ? "alert" : "status"} data-testid={props.testId}>
      {props.children}
    </p>
  );
}
