import { asIpcError, passwordExpiry, signIn, signInCancel, signInReopen, signInStatus, signOut } from "../backend";
import type { IpcError, SignedIn } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";
import { expiryNotice } from "./expiry";
import { button } from "./form";
import { helpdeskBlock } from "./helpdesk";
import type { Screen, ScreenContext } from "./screen";

type Purpose = "onboarding" | "change";

/** What every state of the screen shares; `waiting` while the browser sign-in runs. */
interface SignIn extends ScreenContext {
  element: HTMLElement;
  purpose: Purpose;
  organisation: string;
  waiting: boolean;
  /** Asked to confirm it is the user before an account change: a fresh sign-in, not a kept one. */
  confirm: boolean;
}

let confirmNext = false;

/**
 * The next sign-in screen asks the user to confirm it is them: an account change needs a
 * sign-in of the last few minutes (`fresh_sign_in_required`), whatever is kept.
 */
export function confirmPresenceNext(): void {
  confirmNext = true;
}

/**
 * Sign-in through the system browser, before a journey that needs it. The screen changes
 * state in place: ready → waiting (URL to copy, reopen, cancel) → signed in, or back to ready
 * with the error and a way forward.
 */
export function signInScreen({ boot, go }: ScreenContext, purpose: Purpose): Screen {
  const s: SignIn = {
    boot,
    go,
    element: h("div", { class: "screen", "data-screen": purpose }),
    purpose,
    organisation: boot.organisation?.name ?? "",
    waiting: false,
    confirm: confirmNext,
  };
  confirmNext = false;
  ready(s);
  return {
    element: s.element,
    onEscape: () => (s.waiting ? void signInCancel() : go("home")),
  };
}

/** Home; a sign-in under way is cancelled rather than left waiting for the browser. */
function back(s: SignIn): void {
  if (s.waiting) void signInCancel();
  s.go("home");
}

function show(s: SignIn, state: string, ...children: (Node | null)[]): void {
  s.element.setAttribute("data-state", state);
  s.element.removeAttribute("aria-busy");
  s.element.replaceChildren(...children.filter((c): c is Node => c !== null));
  s.element.querySelector<HTMLElement>("h1")?.focus();
}

/** The error of the last attempt, with the provider's code (AADSTS…) for IT when it gave one. */
function signInError(error: IpcError, messageKey: string): HTMLElement {
  const details = error.details.length
    ? h("ul", { "data-testid": "sign-in-error-details" }, ...error.details.map((d) => h("li", {}, d)))
    : null;
  return h(
    "div",
    { class: "error", role: "alert", "data-testid": "sign-in-error", "data-code": error.code ?? "" },
    h("p", {}, t(messageKey)),
    details,
  );
}

function ready(s: SignIn, error?: IpcError): void {
  s.waiting = false;
  const errorKey = error?.messageKey;
  show(
    s,
    "ready",
    h("h1", { tabindex: "-1" }, t(s.confirm ? "sign_in.confirm_title" : `entry.${s.purpose}.title`)),
    s.confirm ? h("p", { "data-testid": "confirm-presence" }, t("sign_in.confirm_body")) : null,
    h("p", {}, t("sign_in.intro", { organisation: s.organisation })),
    error && errorKey ? signInError(error, errorKey) : null,
    h(
      "div",
      { class: "actions" },
      button(t(errorKey ? "sign_in.retry" : "sign_in.start"), "sign-in", () => void start(s), "primary"),
      button(t("nav.back"), "back", () => back(s)),
    ),
    errorKey ? helpdeskBlock(s.boot.helpdesk) : null,
  );
}

/** The address to copy, read-only, for when the browser did not open or opened elsewhere. */
function copyRow(url: string): HTMLElement {
  const link = h("input", {
    type: "text",
    readonly: "",
    id: "sign-in-url",
    value: url,
    autocomplete: "off",
    spellcheck: "false",
  });
  const copy = button(t("sign_in.copy"), "copy", () => {
    link.select();
    void navigator.clipboard?.writeText(url).catch(() => document.execCommand("copy"));
  });
  return h("div", { class: "copy-row" }, link, copy);
}

function showWaiting(s: SignIn, url: string, browserOpened: boolean): void {
  show(
    s,
    "waiting",
    // Without a browser window, nothing says "the window that opened": the link is the way.
    h("h1", { tabindex: "-1" }, t(browserOpened ? "sign_in.waiting_title" : "sign_in.no_browser_title")),
    browserOpened ? h("p", {}, t("sign_in.waiting_body")) : null,
    browserOpened ? null : h("p", { class: "error", role: "alert" }, t("error.browser_unavailable")),
    browserOpened ? null : h("p", {}, t("sign_in.no_browser_body")),
    h("label", { for: "sign-in-url" }, t(browserOpened ? "sign_in.link_label" : "sign_in.link_only_label")),
    copyRow(url),
    h(
      "div",
      { class: "actions" },
      button(t(browserOpened ? "sign_in.reopen" : "sign_in.try_browser"), "reopen", () => {
        signInReopen().catch((e) => ready(s, asIpcError(e)));
      }),
      button(t("sign_in.cancel"), "cancel", () => void signInCancel()),
    ),
  );
}

function signedIn(s: SignIn, result: SignedIn): void {
  s.waiting = false;
  const next = s.purpose === "onboarding" ? "register" : "change_password";
  show(
    s,
    "signed-in",
    h("h1", { tabindex: "-1" }, t("sign_in.done_title")),
    h("p", { "data-testid": "signed-in-as" }, t("sign_in.done_body", { name: result.displayName })),
    result.sessionOnly ? h("p", { role: "status" }, t("error.keyring_unavailable")) : null,
    h("p", {}, t(`sign_in.next_${s.purpose}`)),
    h("div", { "data-testid": "expiry-slot" }),
    h(
      "div",
      { class: "actions" },
      button(t("sign_in.continue"), "continue", () => s.go(next), "primary"),
      button(t("nav.back"), "back", () => back(s)),
      button(t("sign_in.sign_out"), "sign-out", () => {
        void signOut().then(() => ready(s));
      }),
    ),
  );
}

/** Entra: the expiry reminder, as soon as the user is signed in. */
function remindExpiry(s: SignIn): void {
  if (!s.boot.passwordChange) return;
  void passwordExpiry()
    .then((expiry) => {
      const notice = expiryNotice(expiry);
      if (notice) s.element.querySelector("[data-testid='expiry-slot']")?.replaceChildren(notice);
    })
    .catch(() => {});
}

/** Shows the waiting state as soon as the URL exists; the sign-in command itself resolves later. */
async function showUrlWhenKnown(s: SignIn): Promise<void> {
  while (s.waiting) {
    const status = await signInStatus();
    if (status.authorizeUrl) {
      if (s.waiting && s.element.getAttribute("data-state") !== "waiting") {
        showWaiting(s, status.authorizeUrl, status.browserOpened);
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function start(s: SignIn): Promise<void> {
  if (s.waiting) return;
  s.waiting = true;
  // Discovery can take a moment on a slow network: say so, and do not start twice.
  s.element.querySelector<HTMLButtonElement>("[data-action='sign-in']")?.setAttribute("disabled", "");
  s.element.setAttribute("aria-busy", "true");
  const finished = signIn(s.confirm);
  void showUrlWhenKnown(s);
  try {
    signedIn(s, await finished);
    remindExpiry(s);
  } catch (e) {
    ready(s, asIpcError(e));
  }
}
