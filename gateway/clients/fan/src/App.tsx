import { useEffect } from "preact/hooks";
import { cart } from "./cart";
import { Link } from "./components/common";
import { messages } from "./messages";
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

const titles: Record<Route["page"], string> = {
  home: messages.home.title,
  signin: messages.signIn.title,
  concert: messages.concert.seatMap,
  merch: messages.merch.title,
  product: messages.merch.title,
  checkout: messages.checkout.title,
  orders: messages.orders.title,
  tickets: messages.tickets.title,
  notFound: messages.notFound.title,
};

export function App() {
  const path = useSignal(location);
  const fan = useSignal(currentFan);
  const basket = useSignal(cart);
  const route = match(path);
  const itemsInCart = (basket.hold ? basket.hold.seats.length : 0) + basket.merch.reduce((sum, line) => sum + line.quantity, 0);

  useEffect(() => {
    document.title = `${titles[route.page]} · ${messages.appName}`;
  }, [route.page]);

  const nav: [string, string, Route["page"][]][] = [
    ["/", messages.nav.home, ["home", "concert"]],
    ["/merch", messages.nav.merch, ["merch", "product"]],
    ["/orders", messages.nav.orders, ["orders"]],
    ["/tickets", messages.nav.tickets, ["tickets"]],
    ["/checkout", itemsInCart ? `${messages.nav.checkout} (${itemsInCart})` : messages.nav.checkout, ["checkout"]],
  ];

  return (
    <>
      <a class="skip" href="#main">{messages.skipToContent}</a>
      <header class="top">
        <div class="top-row">
          <Link href="/" class="brand">{messages.appName}</Link>
          <div class="who">
            {fan ? (
              <>
                <span data-testid="signed-in-as">{messages.signIn.signedInAs(fan.name)}</span>
                <button type="button" class="link-button" onClick={() => { session.signOut(); navigate("/"); }}>
                  {messages.signIn.signOut}
                </button>
              </>
            ) : (
              <Link href="/signin" class="button small">{messages.signIn.link}</Link>
            )}
          </div>
        </div>
        <nav aria-label={messages.nav.main}>
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
          <h1>{messages.notFound.title}</h1>
          <Link href="/">{messages.notFound.back}</Link>
        </section>
      );
  }
}
