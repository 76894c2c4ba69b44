// The English and French catalogues must have exactly the same keys, and every message key the
// Rust side can send (ErrorCode in ui/src/bindings.ts) must exist in both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const load = (name) => JSON.parse(readFileSync(new URL(`../src/i18n/${name}.json`, import.meta.url)));

function keys(obj, prefix = "") {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

test("en and fr have the same keys", () => {
  assert.deepEqual(keys(load("fr")).sort(), keys(load("en")).sort());
});

test("no message is empty", () => {
  for (const lang of ["en", "fr"]) {
    for (const key of keys(load(lang))) {
      const value = key.split(".").reduce((o, k) => o[k], load(lang));
      assert.ok(value.trim().length > 0, `${lang}: ${key} is empty`);
    }
  }
});

test("every error code from Rust has a message", () => {
  const bindings = readFileSync(new URL("../src/bindings.ts", import.meta.url), "utf8");
  const line = bindings.split("\n").find((l) => l.startsWith("export type ErrorCode"));
  assert.ok(line, "ErrorCode in bindings.ts");
  const codes = [...line.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length > 0);
  for (const lang of ["en", "fr"]) {
    const catalogue = load(lang);
    for (const code of codes) assert.ok(catalogue.error[code], `${lang}: error.${code}`);
  }
});
