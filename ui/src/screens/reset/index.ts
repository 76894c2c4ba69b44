import {
  asIpcError,
  connectivity,
  resetAnswer,
  resetCancel,
  resetCode,
  resetPassword,
  resetPortalOpen,
  resetResend,
  resetStart,
} from "../../backend";
import type { IpcError, Reachability, ResetFactor, ResetView } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { helpdeskBlock } from "../helpdesk";
import { afterResetError, codeMayBeOnItsWay } from "../outcome";
import { unconfirmedStep } from "../unconfirmed";
import type { Screen, ScreenContext } from "../screen";
import { codeStep } from "./code";
import { errorBlock } from "../form";
import { doneStep } from "./done";
import { offlineStep } from "./offline";
import { passwordStep } from "./password";
import { questionStep } from "./question";
import { type StartValues, startStep } from "./start";
import { portalOpenedStep, portalStartStep } from "./portal";

/** Errors that mean the network, not the user: the offline screen takes over the portal hand-off. */
const NETWORK = new Set(["provider_unreachable", "timeout"]);
/** How often the offline screen checks again. */
const RECHECK_MS = 3000;

/** What every step shares: what the first step holds, and whether a reset is under way. */
interface Reset extends ScreenContext {
  element: HTMLElement;
  start: StartValues;
  /** A reset is under way on the provider's side: leaving cancels it. */
  inFlow: boolean;
}

/**
 * Forgot password, not signed in: username and way → code → recovery question (when asked) →
 * new password → done. Each step keeps what the user typed when an error comes back.
 */
export function resetScreen({ boot, go }: ScreenContext): Screen {
  const r: Reset = {
    boot,
    go,
    element: h("div", { class: "screen", "data-screen": "reset" }),
    start: { username: boot.usernameHint ?? "", factor: "sms" },
    inFlow: false,
  };
  // Offline from the start: say so before anything is typed, and show no form that would
  // vanish a moment later (the launcher's check started with the process).
  show(r, "checking", null, [
    h("h1", { tabindex: "-1", role: "status" }, t("reset.checking")),
  ]);
  void whenOnline(r, () => showStart(r)).then((online) => {
    if (online && r.element.getAttribute("data-step") === "checking") showStart(r);
  });
  return { element: r.element, onEscape: () => home(r) };
}

function show(r: Reset, step: string, error: IpcError | null, nodes: Node[]): void {
  const { element } = r;
  element.setAttribute("data-step", step);
  element.replaceChildren(...nodes.slice(0, 2), ...[errorBlock(error)].filter((n): n is HTMLElement => n !== null), ...nodes.slice(2));
  if (error) element.append(helpdeskBlock(r.boot.helpdesk));
  // With an error, the field to correct; where there is none (an unconfirmed reset), the heading.
  const focus = (error && element.querySelector<HTMLInputElement>("input:not([type=radio])")) || element.querySelector<HTMLElement>("h1");
  focus?.focus();
}

function home(r: Reset): void {
  if (r.inFlow) void resetCancel();
  r.go("home");
}

function showStart(r: Reset, error: IpcError | null = null): void {
  r.inFlow = false;
  const back = () => home(r);
  if (r.boot.resetInPortal) show(r, "start", error, portalStartStep(r.start.username, (username) => toPortal(r, username), back));
  else show(r, "start", error, startStep(r.start, (values) => begin(r, values), back));
}

/** Entra: the reset happens on Microsoft's portal, opened once it answers. */
async function toPortal(r: Reset, username: string): Promise<void> {
  r.start = { ...r.start, username };
  const again = () => void toPortal(r, username);
  if (!(await whenOnline(r, again))) return;
  try {
    const handoff = await resetPortalOpen(username);
    show(r, "portal", null, portalOpenedStep(handoff, again, () => r.go("home")));
  } catch (e) {
    const error = asIpcError(e);
    if (NETWORK.has(error.code)) await whenOnline(r, again);
    else showStart(r, error);
  }
}

async function begin(r: Reset, values: StartValues): Promise<void> {
  r.start = values;
  const again = () => void begin(r, values);
  if (!(await whenOnline(r, again))) return;
  try {
    render(r, await resetStart(values.username, values.factor));
  } catch (e) {
    const error = asIpcError(e);
    // Only a request that never left goes again by itself: one whose answer was lost may have
    // sent a code already (T21), so the start step says so and waits for the user.
    if (afterResetError(error.code, true) === "when_online") await whenOnline(r, again);
    else showStart(r, error);
  }
}

/**
 * `true` when the provider answers. Otherwise shows the offline screen, checks again every few
 * seconds while it is shown, and runs `then` by itself once the provider answers.
 */
async function whenOnline(r: Reset, then: () => void): Promise<boolean> {
  const { element } = r;
  const verdict = await connectivity().catch((): Reachability => "online");
  if (verdict === "online") return true;
  const recheck = async () => {
    if (element.getAttribute("data-step") !== "offline" || !element.isConnected) return;
    const now = await connectivity().catch((): Reachability => "online");
    if (now === "online") then();
    else {
      element.querySelector("[data-testid='offline-reason']")?.setAttribute("data-verdict", now);
      setTimeout(() => void recheck(), RECHECK_MS);
    }
  };
  show(r, "offline", null, offlineStep(verdict, r.boot.resetPage, helpdeskBlock(r.boot.helpdesk), () => void recheck(), () => home(r)));
  setTimeout(() => void recheck(), RECHECK_MS);
  return false;
}

/** Runs a step's call; on error shows the same step again with what was typed. */
async function step(r: Reset, call: () => Promise<ResetView>, again: (e: IpcError) => void): Promise<void> {
  try {
    render(r, await call());
  } catch (e) {
    const error = asIpcError(e);
    const next = afterResetError(error.code, false);
    if (next === "start") showStart(r, error);
    else if (next === "unconfirmed") showUnconfirmed(r, error);
    else again(error);
  }
}

function render(r: Reset, view: ResetView, error: IpcError | null = null, typed = ""): void {
  r.inFlow = view.step !== "done";
  const back = () => home(r);
  switch (view.step) {
    case "code": {
      const { factor, resendAfterSeconds } = view;
      const resend = (switchTo: ResetFactor | null) =>
        step(r, () => resetResend(switchTo), (e) => render(r, view, e, typed));
      // After an error a new code may be asked for at once, unless one may be on its way.
      const countdown = error && !codeMayBeOnItsWay(error.code) ? 0 : resendAfterSeconds;
      show(r, "code", error, codeStep(factor, countdown, typed, (code) =>
        step(r, () => resetCode(code), (e) => render(r, view, e, code)), resend, back));
      return;
    }
    case "question":
      show(r, "question", error, questionStep(view.question, typed, (answer) =>
        step(r, () => resetAnswer(answer), (e) => render(r, view, e, answer)), back));
      return;
    case "new_password":
      show(r, "new-password", error, passwordStep(view.hints, typed, (password) =>
        step(r, () => resetPassword(password), (e) => render(r, view, e, password)), back));
      return;
    case "done":
      show(r, "done", null, doneStep(() => r.go("home")));
      return;
  }
}

/** The new password may be set: the user checks by signing in with it; no form to send it again. */
function showUnconfirmed(r: Reset, error: IpcError): void {
  show(r, "unconfirmed", error, unconfirmedStep(
    { label: t("reset.done_home"), action: "done", run: () => home(r) },
    { label: t("unconfirmed.start_over"), action: "start-over", run: () => showStart(r) },
  ));
}
