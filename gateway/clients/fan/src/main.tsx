import { render } from "preact";
import { App } from "./App";
import { startHoldWatch } from "./holdWatch";
import { prefetchSeats } from "./liveSeats";
import { match } from "./router";
import { currentLocale, initialLocale, switchLocale } from "./i18n/i18n";
import { useSignal } from "./signal";
import "./design/theme";
import "./design/tokens.css";
import "./design/components.css";
import "./styles.css";

/** The app, built again from the top when the fan picks another language (every text is read at render). */
function Root() {
  const locale = useSignal(currentLocale);
  return <App key={locale} />;
}

// Opened on a concert: its layout and seat state are read while the app starts, not after its first render.
const opened = match(window.location.pathname);
if (opened.page === "concert") prefetchSeats(opened.id);

startHoldWatch();
void switchLocale(initialLocale()).finally(() => render(<Root />, document.getElementById("app")!));
