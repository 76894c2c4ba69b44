import {
  asIpcError,
  registrationAddEmail,
  registrationAddPhone,
  registrationCancel,
  registrationConfirm,
  registrationOpenHandoff,
  registrationReconfirm,
  registrationRemove,
  registrationResend,
  registrationStatus,
} from "../../backend";
import type { Delivery, IpcError, PendingMethod, RegistrationView } from "../../bindings";
import { h } from "../../dom";
import { currentLanguage, t } from "../../i18n";
import { errorBlock, nextStep } from "../form";
import { confirmPresenceNext } from "../sign-in";
import { helpdeskBlock } from "../helpdesk";
import { codeMayBeOnItsWay, methodsUnconfirmed } from "../outcome";
import type { Screen, ScreenContext } from "../screen";
import { confirmStep } from "./code";
import { handoffStep } from "./handoff";
import { emailStep } from "./email";
import { type PhoneValues, phoneStep } from "./phone";
import { summaryStep } from "./summary";

/** How often the hand-off step reads the methods again while Microsoft's page is open. */
const POLL_MS = 4000;

/** What every step shares: what was typed, the registration last shown, the hand-off's state. */
interface Register extends ScreenContext {
  element: HTMLElement;
  organisation: string;
  phone: PhoneValues;
  email: string;
  last: RegistrationView | null;
  /** The security info page's address, once opened. */
  opened: string | null;
  polling: boolean;
}

/**
 * Onboarding after sign-in: the summary of what is required and registered → add a phone or an
 * e-mail → confirm it with the code sent to it → back to the summary, until the policy is met.
 */
export function registerScreen({ boot, go }: ScreenContext): Screen {
  const r: Register = {
    boot,
    go,
    element: h("div", { class: "screen", "data-screen": "register" }),
    organisation: boot.organisation?.name ?? "",
    phone: { region: currentLanguage() === "fr" ? "FR" : "US", number: "", delivery: "sms" },
    email: "",
    last: null,
    opened: null,
    polling: false,
  };
  const { element } = r;
  // Coming back from the browser: read at once rather than at the next tick.
  window.addEventListener("focus", () => {
    if (element.isConnected && element.getAttribute("data-step") === "handoff") void refresh(r);
  });
  element.setAttribute("aria-busy", "true");
  element.replaceChildren(h("h1", { tabindex: "-1" }, t("register.title")), h("p", {}, t("app.loading")));
  void registrationStatus()
    .then((view) => render(r, view))
    .catch((e) => {
      const error = asIpcError(e);
      show(r, "error", error, [h("h1", { tabindex: "-1" }, t("register.title")), h("p", {}, "")]);
    })
    .finally(() => element.removeAttribute("aria-busy"));
  return { element, onEscape: () => go("home") };
}

function show(r: Register, step: string, error: IpcError | null, nodes: Node[]): void {
  const { element } = r;
  element.setAttribute("data-step", step);
  const err = errorBlock(error);
  element.replaceChildren(...nodes.slice(0, 2), ...(err ? [err] : []), ...nodes.slice(2));
  if (error) element.append(helpdeskBlock(r.boot.helpdesk));
  const focus = error
    ? element.querySelector<HTMLElement>("input:not([type=radio]), select")
    : element.querySelector<HTMLElement>("h1");
  focus?.focus();
}

/** Shows a registration as it now stands: the hand-off, the code to enter, or the summary. */
function render(r: Register, view: RegistrationView, error: IpcError | null = null, typed = ""): void {
  r.last = view;
  if (view.handoff) renderHandoff(r, view, error);
  else if (view.pending) renderConfirm(r, view, view.pending, error, typed);
  else renderSummary(r, view, error);
}

/** "Later" only when the organisation lets the user leave before the policy is met. */
function later(r: Register): (() => void) | null {
  return r.boot.registrationRequired ? null : () => r.go("home");
}

function renderHandoff(r: Register, view: RegistrationView, error: IpcError | null): void {
  const nodes = handoffStep(
    view,
    r.organisation,
    r.opened,
    () => openHandoff(r),
    () => void refresh(r),
    later(r),
    () => r.go("home"),
    (id) => remove(r, id),
  );
  show(r, "handoff", error, nodes);
  if (!view.complete) poll(r);
}

function renderConfirm(r: Register, view: RegistrationView, pending: PendingMethod, error: IpcError | null, typed: string): void {
  const nodes = confirmStep(
    pending,
    // After an error a new code may be asked for at once, unless one may be on its way.
    error && !codeMayBeOnItsWay(error.code) ? 0 : pending.resendAfterSeconds,
    typed,
    (code) => call(r, () => registrationConfirm(code), (e) => render(r, view, e, code)),
    (switchTo: Delivery | null) => call(r, () => registrationResend(switchTo), (e) => render(r, view, e, typed)),
    () => void call(r, () => registrationCancel(), (e) => render(r, view, e, typed)),
  );
  show(r, "confirm", error, nodes);
}

function renderSummary(r: Register, view: RegistrationView, error: IpcError | null): void {
  const nodes = summaryStep(
    view,
    r.organisation,
    () => showPhone(r),
    () => showEmail(r),
    later(r),
    () => r.go("home"),
    () => void call(r, () => registrationReconfirm(), (e) => render(r, view, e)),
    (id) => remove(r, id),
  );
  show(r, "summary", error, nodes);
}

function showPhone(r: Register, error: IpcError | null = null): void {
  show(r, "phone", error, phoneStep(r.phone, async (values) => {
    r.phone = values;
    await call(r, () => registrationAddPhone(values.region, values.number, values.delivery), (e) => showPhone(r, e));
  }, () => summary(r)));
}

function showEmail(r: Register, error: IpcError | null = null): void {
  show(r, "email", error, emailStep(r.email, async (address) => {
    r.email = address;
    await call(r, () => registrationAddEmail(address), (e) => showEmail(r, e));
  }, () => summary(r)));
}

/** Back to the summary from adding a method, without the one being added. */
function summary(r: Register): void {
  if (r.last) render(r, { ...r.last, pending: null });
}

function remove(r: Register, id: string): void {
  void call(r, () => registrationRemove(id), (e) => r.last && render(r, r.last, e));
}

function openHandoff(r: Register): void {
  registrationOpenHandoff()
    .then((url) => {
      r.opened = url;
      if (r.last) render(r, r.last);
    })
    .catch((e) => r.last && render(r, r.last, asIpcError(e)));
}

/** Reads the methods again, keeping the step (and any error shown) if nothing changed. */
async function refresh(r: Register): Promise<void> {
  try {
    const view = await registrationStatus();
    const changed = JSON.stringify(view) !== JSON.stringify(r.last);
    if (changed || r.element.getAttribute("data-step") !== "handoff") render(r, view);
  } catch (e) {
    const error = asIpcError(e);
    if (nextStep(error) === "sign_in_again") r.go("onboarding");
    else if (r.last) render(r, r.last, error);
  }
}

/** While the hand-off is on screen and incomplete, reads the methods every few seconds. */
function poll(r: Register): void {
  if (r.polling) return;
  r.polling = true;
  const tick = async () => {
    if (!r.element.isConnected || r.element.getAttribute("data-step") !== "handoff" || r.last?.complete) {
      r.polling = false;
      return;
    }
    await refresh(r);
    setTimeout(() => void tick(), POLL_MS);
  };
  setTimeout(() => void tick(), POLL_MS);
}

/** Runs a step's call and shows where it leads; on error, `again` shows the step with it. */
async function call(r: Register, run: () => Promise<RegistrationView>, again: (e: IpcError) => void): Promise<void> {
  try {
    render(r, await run());
  } catch (e) {
    const error = asIpcError(e);
    // A change needs a recent sign-in: confirm it is the user, then carry on.
    if (error.code === "fresh_sign_in_required") confirmPresenceNext();
    // The session ended (expired, signed out elsewhere): sign in again rather than retry.
    if (nextStep(error) === "sign_in_again") r.go("onboarding");
    else if (methodsUnconfirmed(error.code)) await reread(r, error);
    else again(error);
  }
}

/**
 * A change to the methods whose answer was lost (T21): not sent again, but the list read again
 * (a read changes nothing) and shown with the error, so the user sees whether it was made.
 */
async function reread(r: Register, error: IpcError): Promise<void> {
  try {
    render(r, await registrationStatus(), error);
  } catch {
    if (r.last) render(r, { ...r.last, pending: null }, error);
  }
}
