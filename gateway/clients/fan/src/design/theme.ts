// Light or dark: the system's (prefers-color-scheme) until the fan flips the switch, then the fan's, remembered on the
// device. The choice is written as <html data-theme>, which src/design/tokens.css reads through color-scheme.
import { signal } from "../signal";

export type Theme = "light" | "dark";

const storageKey = "ticketing.theme";
const systemDark = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

const chosen = stored();
if (chosen) document.documentElement.dataset.theme = chosen;

/** The theme shown now (the fan's choice, else the system's). */
export const currentTheme = signal<Theme>(chosen ?? (systemDark?.matches ? "dark" : "light"));

// Without a choice of the fan's, the page follows the system as it changes (e.g. at sunset).
systemDark?.addEventListener("change", (event) => {
  if (!document.documentElement.dataset.theme) currentTheme.set(event.matches ? "dark" : "light");
});

/** Shows and remembers a theme. */
export function chooseTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(storageKey, theme);
  } catch {
    // private mode: the choice lasts for this visit
  }
  currentTheme.set(theme);
}
