// Builds the UI into ui/dist, touching only the files whose content changed (`npm run build`,
// which `tauri build` runs first). The app embeds every file of ui/dist with `include_bytes!`, and
// Cargo goes by modification times: a plain `vite build` rewrites them all, and every
// `bash scripts/run.sh` then recompiled the app (~25 s) with nothing changed.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "ui", "dist");
const fresh = join(root, "target", "ui-dist");

// vite.config.ts as it is, written elsewhere (outDir is relative to the UI's root, ui/).
await build({
  configFile: join(root, "vite.config.ts"),
  build: { outDir: fresh, emptyOutDir: true },
  logLevel: process.env.npm_config_loglevel === "silent" ? "warn" : "info",
});

const files = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
const same = (a, b) => existsSync(b) && readFileSync(a).equals(readFileSync(b));

mkdirSync(dist, { recursive: true });
const before = new Set(files(dist));
const after = new Set(files(fresh));
let changed = 0;
for (const f of after) {
  if (!same(join(fresh, f), join(dist, f))) {
    cpSync(join(fresh, f), join(dist, f));
    changed++;
  }
}
for (const f of before) {
  if (!after.has(f)) {
    rmSync(join(dist, f));
    changed++;
  }
}
// A file added or removed alone would go unnoticed by Cargo, which only sees the files it was
// given last time; index.html is always embedded, so a new time on it rebuilds the app.
if (changed > 0 && existsSync(join(dist, "index.html"))) {
  const now = new Date();
  utimesSync(join(dist, "index.html"), now, now);
}
console.log(changed > 0 ? `ui/dist: ${changed} file(s) updated` : "ui/dist: unchanged");
