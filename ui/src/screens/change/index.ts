import { asIpcError, changePassword, passwordExpiry, passwordRules } from "../../backend";
import type { IpcError, PasswordExpiry, PasswordHints } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, errorBlock } from "../form";
import { expiryNotice } from "../expiry";
import { helpdeskBlock } from "../helpdesk";
import { passwordStep } from "../reset/password";
import type { Screen, ScreenContext } from "../screen";

/**
 * Change password, signed in (Entra): when it expires, the current password, a new one with
 * Entra's rules ticked as you type → done. Errors keep both fields as typed.
 */
export function changeScreen({ boot, go }: ScreenContext): Screen {
  const element = h("div", { class: "screen", "data-screen": "change-password" });
  let expiry: PasswordExpiry | null = null;

  function show(step: string, error: IpcError | null, nodes: Node[]): void {
    element.setAttribute("data-step", step);
    const err = errorBlock(error);
    element.replaceChildren(...nodes.slice(0, 1), ...(err ? [err] : []), ...nodes.slice(1));
    if (error) element.append(helpdeskBlock(boot.helpdesk));
    (error ? element.querySelector<HTMLElement>("input") : element.querySelector<HTMLElement>("h1"))?.focus();
  }

  function showForm(hints: PasswordHints, error: IpcError | null = null, current = "", next = ""): void {
    const currentInput = h("input", {
      id: "current-password",
      name: "current-password",
      type: "password",
      autocomplete: "current-password",
      spellcheck: "false",
      required: "",
      value: current,
    });
    const notice = expiry ? expiryNotice(expiry) : null;
    const nodes = passwordStep(
      hints,
      next,
      async (typed) => {
        const typedCurrent = currentInput.value;
        try {
          await changePassword(typedCurrent, typed);
          done();
        } catch (e) {
          const err = asIpcError(e);
          if (err.code === "sign_in_required") go("change");
          else showForm(hints, err, typedCurrent, typed);
        }
      },
      () => go("home"),
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
    show("form", error, nodes);
    if (error?.code === "current_password_wrong") currentInput.focus();
  }

  function done(): void {
    show("done", null, [
      h("h1", { tabindex: "-1" }, t("change.done_title")),
      h("p", { role: "status" }, t("change.done_body")),
      h("p", {}, t("reset.done_cached")),
      h("div", { class: "actions" }, button(t("register.done"), "done", () => go("home"), "primary")),
    ]);
  }

  if (!boot.passwordChange) {
    // Okta's MyAccount password change is not built yet: say so rather than fail later.
    show("unavailable", null, [
      h("h1", { tabindex: "-1" }, t("change.title")),
      h("p", {}, t("change.unavailable")),
      h("div", { class: "actions" }, button(t("nav.back"), "back", () => go("home"))),
      helpdeskBlock(boot.helpdesk),
    ]);
    return { element, onEscape: () => go("home") };
  }
  element.setAttribute("aria-busy", "true");
  element.replaceChildren(h("h1", { tabindex: "-1" }, t("change.title")), h("p", {}, t("app.loading")));
  void Promise.all([passwordRules(), passwordExpiry().catch(() => null)])
    .then(([hints, known]) => {
      expiry = known;
      showForm(hints);
    })
    .catch((e) => show("error", asIpcError(e), [h("h1", { tabindex: "-1" }, t("change.title"))]))
    .finally(() => element.removeAttribute("aria-busy"));
  return { element, onEscape: () => go("home") };
}
