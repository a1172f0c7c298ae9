import { render } from "preact";
import { App } from "./App";
import { startHoldWatch } from "./holdWatch";
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

startHoldWatch();
void switchLocale(initialLocale()).finally(() => render(<Root />, document.getElementById("app")!));
