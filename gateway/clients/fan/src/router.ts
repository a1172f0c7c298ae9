// Client-side routes on the History API; the gateway answers each of these paths with index.html.
import { signal } from "./signal";

export const location = signal<string>(window.location.pathname);

export function navigate(path: string) {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, "", path);
  location.set(window.location.pathname);
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => location.set(window.location.pathname));

export type Route =
  | { page: "home" }
  | { page: "signin" }
  | { page: "concert"; id: string }
  | { page: "merch" }
  | { page: "product"; id: string }
  | { page: "checkout" }
  | { page: "orders" }
  | { page: "tickets" }
  | { page: "notFound" };

const guid = "([0-9a-fA-F-]{36})";

export function match(path: string): Route {
  let m: RegExpExecArray | null;
  if (path === "/" || path === "") return { page: "home" };
  if (path === "/signin") return { page: "signin" };
  if ((m = new RegExp(`^/concerts/${guid}$`).exec(path))) return { page: "concert", id: m[1] };
  if (path === "/merch") return { page: "merch" };
  if ((m = new RegExp(`^/merch/${guid}$`).exec(path))) return { page: "product", id: m[1] };
  if (path === "/checkout") return { page: "checkout" };
  if (path === "/orders" || /^\/orders\//.test(path)) return { page: "orders" };
  if (path === "/tickets") return { page: "tickets" };
  return { page: "notFound" };
}
