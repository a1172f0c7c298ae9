// Removes this app's previous build from the gateway's wwwroot, leaving other apps' folders (wwwroot/ops) alone.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wwwroot = fileURLToPath(new URL("../../../wwwroot/", import.meta.url));
for (const entry of ["index.html", "assets", "favicon.svg"]) {
  rmSync(wwwroot + entry, { recursive: true, force: true });
}
