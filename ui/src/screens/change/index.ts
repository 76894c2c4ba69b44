import { asIpcError, changePassword, passwordExpiry, passwordRules } from "../../backend";
import type { IpcError, PasswordExpiry, PasswordHints } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, errorBlock, nextStep } from "../form";
import { confirmPresenceNext } from "../sign-in";
import { expiryNotice } from "../expiry";
import { helpdeskBlock } from "../helpdesk";
import { afterChangeError } from "../outcome";
import { passwordStep } from "../reset/password";
import type { Screen, ScreenContext } from "../screen";
import { unconfirmedStep } from "../unconfirmed";

/** What every step shares: the expiry, read once with the rules, for the form's notice. */
interface Change extends ScreenContext {
  element: HTMLElement;
  expiry: PasswordExpiry | null;
}

/**
 * Change password, signed in (Entra): when it expires, the current password, a new one with
 * Entra's rules ticked as you type → done. Errors keep both fields as typed.
 */
export function changeScreen({ boot, go }: ScreenContext): Screen {
  const c: Change = { boot, go, element: h("div", { class: "screen", "data-screen": "change-password" }), expiry: null };
  const { element } = c;
  if (!boot.passwordChange) {
    showUnavailable(c);
    return { element, onEscape: () => go("home") };
  }
  element.setAttribute("aria-busy", "true");
  element.replaceChildren(h("h1", { tabindex: "-1" }, t("change.title")), h("p", {}, t("app.loading")));
  void Promise.all([passwordRules(), passwordExpiry().catch(() => null)])
    .then(([hints, known]) => {
      c.expiry = known;
      showForm(c, hints);
    })
    .catch((e) => show(c, "error", asIpcError(e), [h("h1", { tabindex: "-1" }, t("change.title"))]))
    .finally(() => element.removeAttribute("aria-busy"));
  return { element, onEscape: () => go("home") };
}

function show(c: Change, step: string, error: IpcError | null, nodes: Node[]): void {
  const { element } = c;
  element.setAttribute("data-step", step);
  const err = errorBlock(error);
  element.replaceChildren(...nodes.slice(0, 1), ...(err ? [err] : []), ...nodes.slice(1));
  if (error) element.append(helpdeskBlock(c.boot.helpdesk));
  // With an error, the field to correct; where there is none (an unconfirmed change), the heading.
  ((error && element.querySelector<HTMLElement>("input")) || element.querySelector<HTMLElement>("h1"))?.focus();
}

function currentPasswordInput(current: string): HTMLInputElement {
  return h("input", {
    id: "current-password",
    name: "current-password",
    type: "password",
    autocomplete: "current-password",
    spellcheck: "false",
    required: "",
    value: current,
  });
}

/** The reset's new-password step, framed with the expiry notice and the current password. */
function showForm(c: Change, hints: PasswordHints, error: IpcError | null = null, current = "", next = ""): void {
  const currentInput = currentPasswordInput(current);
  const notice = c.expiry ? expiryNotice(c.expiry) : null;
  const nodes = passwordStep(
    hints,
    next,
    (typed) => submit(c, hints, currentInput.value, typed),
    () => c.go("home"),
    {
      title: t("change.title"),
      before: [
        ...(notice ? [notice] : []),
        h("label", { for: "current-password" }, t("change.current_label")),
        currentInput,
      ],
      submitLabel: t("change.submit"),
    },
  );
  show(c, "form", error, nodes);
  if (error?.code === "current_password_wrong") currentInput.focus();
}

async function submit(c: Change, hints: PasswordHints, current: string, next: string): Promise<void> {
  try {
    await changePassword(current, next);
    done(c);
  } catch (e) {
    const err = asIpcError(e);
    if (err.code === "fresh_sign_in_required") confirmPresenceNext();
    const then = afterChangeError(err.code, nextStep(err) === "sign_in_again");
    if (then === "unconfirmed") showUnconfirmed(c, err);
    else if (then === "sign_in") c.go("change");
    else showForm(c, hints, err, current, next);
  }
}

function done(c: Change): void {
  show(c, "done", null, [
    h("h1", { tabindex: "-1" }, t("change.done_title")),
    h("p", { role: "status" }, t("change.done_body")),
    h("p", {}, t("reset.done_cached")),
    h("div", { class: "actions" }, button(t("register.done"), "done", () => c.go("home"), "primary")),
  ]);
}

/**
 * The change may have gone through (its answer was lost): no form to send it again. Signing in
 * afresh is the check — the browser asks for the password, and the new one works or it does not.
 */
function showUnconfirmed(c: Change, error: IpcError): void {
  const signIn = () => {
    confirmPresenceNext();
    c.go("change");
  };
  show(c, "unconfirmed", error, unconfirmedStep(
    { label: t("unconfirmed.sign_in"), action: "sign-in", run: signIn },
    { label: t("nav.back"), action: "back", run: () => c.go("home") },
  ));
}

/** Okta's MyAccount password change is not built yet: say so rather than fail later. */
function showUnavailable(c: Change): void {
  show(c, "unavailable", null, [
    h("h1", { tabindex: "-1" }, t("change.title")),
    h("p", {}, t("change.unavailable")),
    h("div", { class: "actions" }, button(t("nav.back"), "back", () => c.go("home"))),
    helpdeskBlock(c.boot.helpdesk),
  ]);
}
