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
import { helpdeskBlock } from "../helpdesk";
import type { Screen, ScreenContext } from "../screen";
import { codeStep } from "./code";
import { errorBlock } from "../form";
import { doneStep } from "./done";
import { offlineStep } from "./offline";
import { passwordStep } from "./password";
import { questionStep } from "./question";
import { type StartValues, startStep } from "./start";
import { portalOpenedStep, portalStartStep } from "./portal";

/** Errors that mean the network, not the user: the offline screen takes over. */
const NETWORK = new Set(["provider_unreachable", "timeout"]);
/** How often the offline screen checks again. */
const RECHECK_MS = 3000;

/** Errors after which the reset must start over rather than retry the same step. */
const RESTART = new Set(["session_expired", "code_spent"]);

/**
 * Forgot password, not signed in: username and way → code → recovery question (when asked) →
 * new password → done. Each step keeps what the user typed when an error comes back.
 */
export function resetScreen({ boot, go }: ScreenContext): Screen {
  const element = h("div", { class: "screen", "data-screen": "reset" });
  let start: StartValues = { username: boot.usernameHint ?? "", factor: "sms" };
  let inFlow = false;

  function show(step: string, error: IpcError | null, nodes: Node[]): void {
    element.setAttribute("data-step", step);
    element.replaceChildren(...nodes.slice(0, 2), ...[errorBlock(error)].filter((n): n is HTMLElement => n !== null), ...nodes.slice(2));
    if (error) element.append(helpdeskBlock(boot.helpdesk));
    const focus = error ? element.querySelector<HTMLInputElement>("input:not([type=radio])") : element.querySelector<HTMLElement>("h1");
    focus?.focus();
  }

  const home = () => {
    if (inFlow) void resetCancel();
    go("home");
  };

  function showStart(error: IpcError | null = null): void {
    inFlow = false;
    if (boot.resetInPortal) show("start", error, portalStartStep(start.username, toPortal, home));
    else show("start", error, startStep(start, begin, home));
  }

  /** Entra: the reset happens on Microsoft's portal, opened once it answers. */
  async function toPortal(username: string): Promise<void> {
    start = { ...start, username };
    if (!(await whenOnline(() => void toPortal(username)))) return;
    try {
      const handoff = await resetPortalOpen(username);
      show("portal", null, portalOpenedStep(handoff, () => void toPortal(username), () => go("home")));
    } catch (e) {
      const error = asIpcError(e);
      if (NETWORK.has(error.code)) await whenOnline(() => void toPortal(username));
      else showStart(error);
    }
  }

  async function begin(values: StartValues): Promise<void> {
    start = values;
    if (!(await whenOnline(() => void begin(values)))) return;
    try {
      render(await resetStart(values.username, values.factor));
    } catch (e) {
      const error = asIpcError(e);
      if (NETWORK.has(error.code)) await whenOnline(() => void begin(values));
      else showStart(error);
    }
  }

  /**
   * `true` when the provider answers. Otherwise shows the offline screen, checks again every few
   * seconds while it is shown, and runs `then` by itself once the provider answers.
   */
  async function whenOnline(then: () => void): Promise<boolean> {
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
    show("offline", null, offlineStep(verdict, boot.resetPage, helpdeskBlock(boot.helpdesk), () => void recheck(), home));
    setTimeout(() => void recheck(), RECHECK_MS);
    return false;
  }

  /** Runs a step's call; on error shows the same step again with what was typed. */
  async function step(call: () => Promise<ResetView>, again: (e: IpcError) => void): Promise<void> {
    try {
      render(await call());
    } catch (e) {
      const error = asIpcError(e);
      if (RESTART.has(error.code)) showStart(error);
      else again(error);
    }
  }

  function render(view: ResetView, error: IpcError | null = null, typed = ""): void {
    inFlow = view.step !== "done";
    switch (view.step) {
      case "code": {
        const { factor, resendAfterSeconds } = view;
        const resend = (switchTo: ResetFactor | null) =>
          step(() => resetResend(switchTo), (e) => render(view, e, typed));
        show("code", error, codeStep(factor, error ? 0 : resendAfterSeconds, typed, (code) =>
          step(() => resetCode(code), (e) => render(view, e, code)), resend, home));
        return;
      }
      case "question":
        show("question", error, questionStep(view.question, typed, (answer) =>
          step(() => resetAnswer(answer), (e) => render(view, e, answer)), home));
        return;
      case "new_password":
        show("new-password", error, passwordStep(view.hints, typed, (password) =>
          step(() => resetPassword(password), (e) => render(view, e, password)), home));
        return;
      case "done":
        show("done", null, doneStep(() => go("home")));
        return;
    }
  }

  showStart();
  // Offline from the start: say so before anything is typed.
  void whenOnline(() => showStart());
  return { element, onEscape: home };
}
