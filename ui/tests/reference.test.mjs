// Every error screen shows the journey's support reference (IpcError.reference) with its label,
// in the user's language, and none when there is no journey yet: ui/src/screens/form.ts
// `errorBlock`, bundled here with its imports and rendered into a minimal stand-in for the DOM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

class Element {
  constructor(tag) {
    this.tag = tag;
    this.attrs = {};
    this.children = [];
  }
  setAttribute(name, value) {
    this.attrs[name] = value;
  }
  append(child) {
    this.children.push(child);
  }
  get textContent() {
    return this.children.map((c) => c.textContent).join("");
  }
}
globalThis.document = {
  createElement: (tag) => new Element(tag),
  createTextNode: (text) => ({ textContent: text }),
  documentElement: {},
};

const bundle = await build({
  stdin: {
    contents:
      'export { errorBlock } from "./src/screens/form.ts"; export { setLanguage } from "./src/i18n/index.ts";',
    resolveDir: new URL("..", import.meta.url).pathname,
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  write: false,
  logLevel: "silent",
});
const ui = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

const find = (el, testid) =>
  el.attrs?.["data-testid"] === testid ? el : (el.children ?? []).map((c) => find(c, testid)).find(Boolean);

const error = (reference) => ({
  code: "code_wrong",
  messageKey: "error.code_wrong",
  retryAfterSeconds: null,
  details: [],
  ...(reference ? { reference } : {}),
});

test("the error block names the reference for the helpdesk, in English and in French", async () => {
  await ui.setLanguage("en");
  const line = find(ui.errorBlock(error("LK-7F3K-Q2")), "support-reference");
  assert.equal(line.textContent, "Reference for the helpdesk: LK-7F3K-Q2");
  assert.equal(line.children[1].tag, "code");
  await ui.setLanguage("fr");
  const fr = find(ui.errorBlock(error("LK-7F3K-Q2")), "support-reference");
  assert.equal(fr.textContent, "Référence pour le support : LK-7F3K-Q2");
});

test("before any journey there is no reference line", async () => {
  await ui.setLanguage("en");
  assert.equal(find(ui.errorBlock(error(undefined)), "support-reference"), undefined);
});
