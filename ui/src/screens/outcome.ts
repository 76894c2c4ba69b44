// What a journey does after a call failed, where sending it again could repeat a change the
// provider already made (SECURITY.md T21, rule 9). Only types are imported, so that the node
// tests (ui/tests/outcome.test.mjs) can load this module on its own.
import type { ErrorCode } from "../bindings";

/**
 * The request certainly never reached the provider (no connection): nothing changed, so once
 * the provider answers again it may be sent by itself. A timeout is not one of these: the
 * request may have arrived and only its answer been lost.
 */
export function nothingSent(code: ErrorCode): boolean {
  return code === "provider_unreachable";
}

/** A new password went out and its answer was lost: it may be set. Never the form again. */
export function passwordUnconfirmed(code: ErrorCode): boolean {
  return code === "password_outcome_unknown";
}

/** A method may have been added, confirmed or removed: the list, read again, tells. */
export function methodsUnconfirmed(code: ErrorCode): boolean {
  return code === "method_outcome_unknown";
}

/** A code may be on its way: the resend countdown runs on rather than offering another at once. */
export function codeMayBeOnItsWay(code: ErrorCode): boolean {
  return code === "code_outcome_unknown";
}

/** Errors after which a reset starts over rather than retry the same step. */
const RESTART: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["session_expired", "code_spent", "step_outcome_unknown"]);

/**
 * Where a reset goes after a call failed: the offline screen, which sends the first step again by
 * itself once online (`when_online`, only when nothing was sent); the first step with the error
 * (`start`); the unconfirmed-password step, which offers the check and never the form
 * (`unconfirmed`); or the same step with the error and what was typed (`same_step`).
 */
export type ResetNext = "when_online" | "start" | "unconfirmed" | "same_step";

export function afterResetError(code: ErrorCode, firstStep: boolean): ResetNext {
  if (passwordUnconfirmed(code)) return "unconfirmed";
  if (firstStep) return nothingSent(code) ? "when_online" : "start";
  return RESTART.has(code) ? "start" : "same_step";
}

/** Where the change-password screen goes after the change failed. */
export type ChangeNext = "unconfirmed" | "sign_in" | "form";

export function afterChangeError(code: ErrorCode, signInAgain: boolean): ChangeNext {
  if (passwordUnconfirmed(code)) return "unconfirmed";
  return signInAgain ? "sign_in" : "form";
}
