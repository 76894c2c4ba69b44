// After a failed call, a journey never sends again by itself what may already have been done
// (SECURITY.md T21, rule 9): ui/src/screens/outcome.ts, compiled here on its own (it imports
// only types), decides it for the reset, change-password and registration screens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import ts from "typescript";

const source = readFileSync(new URL("../src/screens/outcome.ts", import.meta.url), "utf8");
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2021 },
});
const outcome = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`);

test("the first reset step goes again by itself only when nothing was sent", () => {
  assert.equal(outcome.afterResetError("provider_unreachable", true), "when_online");
  // The finding: a timeout after the start (an SMS may be on its way) was sent again once the
  // network came back. It is now said on the start step, for the user to decide.
  assert.equal(outcome.afterResetError("timeout", true), "start");
  assert.equal(outcome.afterResetError("code_outcome_unknown", true), "start");
  assert.equal(outcome.afterResetError("rate_limited", true), "start");
});

test("a reset's lost new password never shows the password form again", () => {
  assert.equal(outcome.afterResetError("password_outcome_unknown", false), "unconfirmed");
  assert.equal(outcome.afterResetError("password_rejected", false), "same_step");
});

test("a reset's lost code check or answer starts over; other errors keep the step", () => {
  for (const code of ["step_outcome_unknown", "session_expired", "code_spent"]) {
    assert.equal(outcome.afterResetError(code, false), "start", code);
  }
  for (const code of ["code_wrong", "timeout", "code_outcome_unknown", "provider_unreachable"]) {
    assert.equal(outcome.afterResetError(code, false), "same_step", code);
  }
});

test("a lost password change offers the sign-in check, not the form", () => {
  assert.equal(outcome.afterChangeError("password_outcome_unknown", false), "unconfirmed");
  assert.equal(outcome.afterChangeError("current_password_wrong", false), "form");
  assert.equal(outcome.afterChangeError("sign_in_required", true), "sign_in");
});

test("a lost method change reads the list; a code that may be on its way keeps the countdown", () => {
  assert.ok(outcome.methodsUnconfirmed("method_outcome_unknown"));
  assert.ok(!outcome.methodsUnconfirmed("method_gone"));
  assert.ok(outcome.codeMayBeOnItsWay("code_outcome_unknown"));
  assert.ok(!outcome.codeMayBeOnItsWay("code_wrong"));
  assert.ok(!outcome.nothingSent("timeout"));
});
