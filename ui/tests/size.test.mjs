// scripts/check-size.mjs must actually see long functions: a measure that found nothing would let
// the check pass forever.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_FUNCTION_LINES, rustCountedLines, tsOffenders } from "../../scripts/size-lib.mjs";

/** An arrow function spanning exactly `lines` lines, from `const f = () => {` to `};`. */
function arrow(lines) {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  console.log(${i});`);
  return ["const long = () => {", ...body, "};", ""].join("\n");
}

test("the limit is 60 lines", () => {
  assert.equal(MAX_FUNCTION_LINES, 60);
});

test("a 61-line arrow function is flagged, with its name, line and length", () => {
  const { offenders, functions } = tsOffenders("x.ts", `// header\n${arrow(61)}`);
  assert.equal(functions, 1);
  assert.deepEqual(offenders, [{ path: "x.ts", line: 2, name: "long", lines: 61, kind: "function" }]);
});

test("a 60-line arrow function passes", () => {
  const { offenders, functions } = tsOffenders("x.ts", arrow(60));
  assert.equal(functions, 1);
  assert.deepEqual(offenders, []);
});

test("Rust unit tests after a top-level #[cfg(test)] do not count", () => {
  assert.equal(rustCountedLines("fn a() {}\n\n#[cfg(test)]\nmod tests {\n}\n"), 2);
  assert.equal(rustCountedLines("fn a() {\n    #[cfg(test)]\n    x();\n}\n"), 4);
});
