// Removes this app's previous build from the gateway's wwwroot, leaving other apps' folders (wwwroot/ops) alone.
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wwwroot = fileURLToPath(new URL("../../../wwwroot/", import.meta.url));
const ours = ["index.html", "assets", "favicon.svg", "sw.js", "registerSW.js", "manifest.webmanifest"];
let entries = [];
try {
  entries = readdirSync(wwwroot);
} catch {
  entries = [];
}
for (const entry of entries) {
  if (ours.includes(entry) || /^workbox-[\w-]+\.js$/.test(entry)) rmSync(wwwroot + entry, { recursive: true, force: true });
}
