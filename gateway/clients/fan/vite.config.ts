import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// Builds into the gateway's wwwroot, which the gateway serves at "/". The ops dashboard builds into
// wwwroot/ops, so the output folder is not emptied: scripts/clean.mjs removes only this app's files.
// The app installs as a PWA: Workbox precaches the app's own files (not the dashboard's), so "My tickets" opens and
// draws its QR codes without a network; the tickets themselves are kept on the device by the page (src/offline.ts).
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../../wwwroot",
    emptyOutDir: false,
    assetsDir: "assets",
    sourcemap: false,
  },
  plugins: [
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: "script-defer",
      manifest: {
        name: "Ticketing",
        short_name: "Ticketing",
        description: "Concert tickets and merch drops",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#f7f7fb",
        theme_color: "#5b21b6",
        icons: [{ src: "/favicon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      workbox: {
        globPatterns: ["index.html", "early-reads.js", "assets/**/*.{js,css}", "favicon.svg"],
        globIgnores: ["ops/**"],
        navigateFallback: "/index.html",
        // The gateway's own paths are never answered by the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/auth\//, /^\/ops(\/|$)/, /^\/health\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/auth": "http://127.0.0.1:8080" },
  },
});
