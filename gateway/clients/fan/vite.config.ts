import { defineConfig } from "vite";

// Builds into the gateway's wwwroot, which the gateway serves at "/". The ops dashboard builds into
// wwwroot/ops, so the output folder is not emptied: scripts/clean.mjs removes only this app's files.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../../wwwroot",
    emptyOutDir: false,
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/auth": "http://127.0.0.1:8080" },
  },
});
