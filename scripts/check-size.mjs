#!/usr/bin/env node
// Fails when a source file or a UI function grows past what one can read at once: TypeScript
// files under ui/src over 500 lines or with a function over 60 lines, and Rust files of the app,
// core and sandbox over 500 lines without their unit tests. Rust function length is clippy's
// too_many_lines lint, not this script's.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, formatOffender, rustOffenders, tsOffenders } from "./size-lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Files under `dir` (recursively) whose name ends with `ext`, as paths relative to the root. */
function walk(dir, ext) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []))
    .sort();
}

const posix = (path) => path.split(sep).join("/");

// Generated from the Rust types: its length is not ours to choose.
const GENERATED = new Set(["ui/src/bindings.ts"]);
const tsFiles = walk("ui/src", ".ts")
  .map(posix)
  .filter((p) => !p.endsWith(".d.ts") && !GENERATED.has(p));

// Every crate's src/, and the app crate, whose sources sit directly in src-tauri/app.
const crates = readdirSync(join(root, "src-tauri"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => join("src-tauri", e.name, "src"));
const rustFiles = [...new Set([...crates, join("src-tauri", "app")].flatMap((d) => walk(d, ".rs")).map(posix))]
  .filter((p) => !p.endsWith("/tests.rs") && !p.split("/").includes("tests"))
  .sort();

const read = (path) => readFileSync(join(root, path), "utf8");
const offenders = [];
let functionCount = 0;
for (const path of tsFiles) {
  const result = tsOffenders(path, read(path));
  offenders.push(...result.offenders);
  functionCount += result.functions;
}
for (const path of rustFiles) offenders.push(...rustOffenders(path, read(path)));

for (const o of offenders) console.log(formatOffender(o));
const files = offenders.filter((o) => o.kind === "file").length;
const functions = offenders.filter((o) => o.kind === "function").length;
console.log(
  `size check: ${files} files over ${MAX_FILE_LINES} lines, ${functions} functions over ${MAX_FUNCTION_LINES} lines ` +
    `(${tsFiles.length + rustFiles.length} files, ${functionCount} functions)`,
);
if (offenders.length > 0) process.exitCode = 1;
