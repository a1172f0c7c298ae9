import { useEffect } from "preact/hooks";
import { cart } from "./cart";
import { Link } from "./components/common";
import { CurrencyPicker } from "./components/CurrencyPicker";
import { LanguagePicker } from "./components/LanguagePicker";
import { ThemeSwitch } from "./design/ui";
import { t, type MessageKey } from "./i18n/i18n";
import { CheckoutPage } from "./pages/CheckoutPage";
import { ConcertPage } from "./pages/ConcertPage";
import { HomePage } from "./pages/HomePage";
import { MerchPage, ProductPage } from "./pages/MerchPage";
import { OrdersPage } from "./pages/OrdersPage";
import { SignInPage } from "./pages/SignInPage";
import { TicketsPage } from "./pages/TicketsPage";
import { AdmissionGate } from "./queue/AdmissionGate";
import { location, match, navigate, type Route } from "./router";
import { currentFan, session } from "./session";
import { useSignal } from "./signal";

const titles: Record<Route["page"], MessageKey> = {
  home: "home.title",
  signin: "signIn.title",
  concert: "concert.seatMap",
  merch: "merch.title",
  product: "merch.title",
  checkout: "checkout.title",
  orders: "orders.title",
  tickets: "tickets.title",
  notFound: "notFound.title",
};

export function App() {
  const path = useSignal(location);
  const fan = useSignal(currentFan);
  const basket = useSignal(cart);
  const route = match(path);
  const itemsInCart = (basket.hold ? basket.hold.seats.length : 0) + basket.merch.reduce((sum, line) => sum + line.quantity, 0);

  useEffect(() => {
    document.title = `${t(titles[route.page])} · ${t("app.name")}`;
  }, [route.page]);

  const nav: [string, string, Route["page"][]][] = [
    ["/", t("nav.home"), ["home", "concert"]],
    ["/merch", t("nav.merch"), ["merch", "product"]],
    ["/orders", t("nav.orders"), ["orders"]],
    ["/tickets", t("nav.tickets"), ["tickets"]],
    ["/checkout", itemsInCart ? t("nav.checkoutCount", { count: itemsInCart }) : t("nav.checkout"), ["checkout"]],
  ];

  return (
    <>
      <a class="skip" href="#main">{t("app.skipToContent")}</a>
      <header class="top">
        <div class="top-row">
          <Link href="/" class="brand">{t("app.name")}</Link>
          <div class="who">
            <LanguagePicker />
            <CurrencyPicker />
            <ThemeSwitch />
            {fan ? (
              <>
                <span data-testid="signed-in-as">{t("signIn.signedInAs", { name: fan.name })}</span>
                <button type="button" class="link-button" onClick={() => { session.signOut(true); navigate("/"); }}>
                  {t("signIn.signOut")}
                </button>
              </>
            ) : (
              <Link href="/signin" class="button button-primary small">{t("signIn.link")}</Link>
            )}
          </div>
        </div>
        <nav aria-label={t("nav.main")}>
          <ul>
            {nav.map(([href, label, pages]) => (
              <li key={href}>
                <Link href={href} aria-current={pages.includes(route.page) ? "page" : undefined}>{label}</Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "home": return <HomePage />;
    case "signin": return <SignInPage />;
    case "concert": return <AdmissionGate kind="concert" id={route.id}><ConcertPage id={route.id} /></AdmissionGate>;
    case "merch": return <MerchPage />;
    case "product": return <AdmissionGate kind="product" id={route.id}><ProductPage id={route.id} /></AdmissionGate>;
    case "checkout": return <CheckoutPage />;
    case "orders": return <OrdersPage />;
    case "tickets": return <TicketsPage />;
    default:
      return (
        <section>
          <h1>{t("notFound.title")}</h1>
          <Link href="/">{t("notFound.back")}</Link>
        </section>
      );
  }
}
