import { asIpcError, passwordExpiry, signIn, signInCancel, signInReopen, signInStatus, signOut } from "../backend";
import type { IpcError, SignedIn } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";
import { expiryNotice } from "./expiry";
import { helpdeskBlock } from "./helpdesk";
import type { Screen, ScreenContext } from "./screen";

type Purpose = "onboarding" | "change";

/**
 * Sign-in through the system browser, before a journey that needs it. The screen changes
 * state in place: ready → waiting (URL to copy, reopen, cancel) → signed in, or back to ready
 * with the error and a way forward.
 */
export function signInScreen({ boot, go }: ScreenContext, purpose: Purpose): Screen {
  const element = h("div", { class: "screen", "data-screen": purpose });
  const organisation = boot.organisation?.name ?? "";
  let waiting = false;

  const back = () => {
    if (waiting) void signInCancel();
    go("home");
  };

  function show(state: string, ...children: (Node | null)[]): void {
    element.setAttribute("data-state", state);
    element.removeAttribute("aria-busy");
    element.replaceChildren(...children.filter((c): c is Node => c !== null));
    element.querySelector<HTMLElement>("h1")?.focus();
  }

  function button(label: string, action: string, onClick: () => void, secondary = true): HTMLButtonElement {
    const b = h("button", { type: "button", class: secondary ? "secondary" : "primary", "data-action": action }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  function ready(error?: IpcError): void {
    waiting = false;
    const errorKey = error?.messageKey;
    // The provider's code (AADSTS…) for IT, when it gave one.
    const details = error?.details.length
      ? h("ul", { "data-testid": "sign-in-error-details" }, ...error.details.map((d) => h("li", {}, d)))
      : null;
    show(
      "ready",
      h("h1", { tabindex: "-1" }, t(`entry.${purpose}.title`)),
      h("p", {}, t("sign_in.intro", { organisation })),
      errorKey
        ? h("div", { class: "error", role: "alert", "data-testid": "sign-in-error", "data-code": error?.code ?? "" }, h("p", {}, t(errorKey)), details)
        : null,
      h(
        "div",
        { class: "actions" },
        button(t(errorKey ? "sign_in.retry" : "sign_in.start"), "sign-in", start, false),
        button(t("nav.back"), "back", back),
      ),
      errorKey ? helpdeskBlock(boot.helpdesk) : null,
    );
  }

  function showWaiting(url: string, browserOpened: boolean): void {
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
    show(
      "waiting",
      h("h1", { tabindex: "-1" }, t("sign_in.waiting_title")),
      h("p", {}, t("sign_in.waiting_body")),
      browserOpened ? null : h("p", { class: "error", role: "alert" }, t("error.browser_unavailable")),
      h("label", { for: "sign-in-url" }, t("sign_in.link_label")),
      h("div", { class: "copy-row" }, link, copy),
      h(
        "div",
        { class: "actions" },
        button(t("sign_in.reopen"), "reopen", () => {
          signInReopen().catch((e) => ready(asIpcError(e)));
        }),
        button(t("sign_in.cancel"), "cancel", () => void signInCancel()),
      ),
    );
  }

  function signedIn(result: SignedIn): void {
    waiting = false;
    show(
      "signed-in",
      h("h1", { tabindex: "-1" }, t("sign_in.done_title")),
      h("p", { "data-testid": "signed-in-as" }, t("sign_in.done_body", { name: result.displayName })),
      result.sessionOnly ? h("p", { role: "status" }, t("error.keyring_unavailable")) : null,
      h("p", {}, t(`sign_in.next_${purpose}`)),
      h("div", { "data-testid": "expiry-slot" }),
      h(
        "div",
        { class: "actions" },
        button(t("sign_in.continue"), "continue", () => go(purpose === "onboarding" ? "register" : "change_password"), false),
        button(t("nav.back"), "back", back),
        button(t("sign_in.sign_out"), "sign-out", () => {
          void signOut().then(() => ready());
        }),
      ),
    );
  }

  /** Entra: the expiry reminder, as soon as the user is signed in. */
  function remindExpiry(): void {
    if (!boot.passwordChange) return;
    void passwordExpiry()
      .then((expiry) => {
        const notice = expiryNotice(expiry);
        if (notice) element.querySelector("[data-testid='expiry-slot']")?.replaceChildren(notice);
      })
      .catch(() => {});
  }

  async function start(): Promise<void> {
    if (waiting) return;
    waiting = true;
    // Discovery can take a moment on a slow network: say so, and do not start twice.
    element.querySelector<HTMLButtonElement>("[data-action='sign-in']")?.setAttribute("disabled", "");
    element.setAttribute("aria-busy", "true");
    const finished = signIn();
    // Show the waiting state as soon as the URL exists; the command itself resolves later.
    void (async () => {
      while (waiting) {
        const status = await signInStatus();
        if (status.authorizeUrl) {
          if (waiting && element.getAttribute("data-state") !== "waiting") {
            showWaiting(status.authorizeUrl, status.browserOpened);
          }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      signedIn(await finished);
      remindExpiry();
    } catch (e) {
      ready(asIpcError(e));
    }
  }

  ready();
  return {
    element,
    onEscape: () => (waiting ? void signInCancel() : go("home")),
  };
}
