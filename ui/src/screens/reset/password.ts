import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import type { PasswordHints } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

let strength: Promise<ZxcvbnFactory> | null = null;

/**
 * zxcvbn with the common-password lists, loaded on first use: it is most of the UI's code, and
 * only this screen needs it, so start-up does not pay for it.
 */
function estimator(): Promise<ZxcvbnFactory> {
  strength ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([core, common]) => new core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs }),
  );
  return strength;
}

interface Rule {
  key: string;
  params?: Record<string, unknown>;
  /** `null`: only the provider can tell (earlier passwords). */
  met: ((p: string) => boolean) | null;
}

/** Rules as the provider sent them; the app adds none of its own and counts code points. */
function rules(hints: PasswordHints): Rule[] {
  const list: Rule[] = [
    { key: "reset.rule.length", params: { count: hints.minLength }, met: (p) => [...p].length >= hints.minLength },
  ];
  if (hints.needsLower) list.push({ key: "reset.rule.lower", met: (p) => /[a-z]/.test(p) });
  if (hints.needsUpper) list.push({ key: "reset.rule.upper", met: (p) => /[A-Z]/.test(p) });
  if (hints.needsNumber) list.push({ key: "reset.rule.number", met: (p) => /[0-9]/.test(p) });
  if (hints.needsSymbol) list.push({ key: "reset.rule.symbol", met: (p) => /[^A-Za-z0-9]/.test(p) });
  if (hints.usernameParts.length) {
    list.push({
      key: "reset.rule.username",
      met: (p) => !hints.usernameParts.some((part) => p.toLowerCase().includes(part)),
    });
  }
  if (hints.minClasses > 0) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];
    list.push({
      key: "reset.rule.classes",
      params: { count: hints.minClasses },
      met: (p) => classes.filter((c) => c.test(p)).length >= hints.minClasses,
    });
  }
  if (hints.maxLength > 0) {
    list.push({ key: "reset.rule.max_length", params: { count: hints.maxLength }, met: (p) => [...p].length <= hints.maxLength });
  }
  // Printable ASCII only: Entra refuses accents and emoji, so say so before it does.
  if (hints.asciiOnly) list.push({ key: "reset.rule.ascii", met: (p) => /^[\x20-\x7e]*$/.test(p) });
  if (hints.history > 0) list.push({ key: "reset.rule.history", params: { count: hints.history }, met: null });
  return list;
}

/** What a screen other than the reset puts around the new-password field. */
export interface PasswordStepFrame {
  title: string;
  /** Fields before the new password (the current password, to change it). */
  before: Node[];
  submitLabel: string;
}

/** The new-password field; `aria-describedby` lets screen readers read the rules and strength. */
function newPasswordInput(typed: string): HTMLInputElement {
  return h("input", {
    id: "new-password",
    name: "new-password",
    type: "password",
    autocomplete: "new-password",
    spellcheck: "false",
    required: "",
    "aria-describedby": "password-rules password-strength",
    value: typed,
  });
}

/** Show/hide, so a long password can be checked before it is set. */
function visibilityToggle(input: HTMLInputElement): HTMLButtonElement {
  const toggle = h("button", { type: "button", class: "secondary", "data-action": "show-password", "aria-pressed": "false" }, t("reset.show"));
  toggle.addEventListener("click", () => {
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(show));
    toggle.textContent = t(show ? "reset.hide" : "reset.show");
  });
  return toggle;
}

/** The rules' items and the strength meter, updated as the user types (and at once). */
function liveFeedback(hints: PasswordHints, input: HTMLInputElement): { items: HTMLElement[]; meter: HTMLMeterElement; verdict: HTMLElement } {
  const ruleList = rules(hints);
  const items = ruleList.map((r) => h("li", { "data-met": "false" }, t(r.key, r.params)));
  const meter = h("meter", { min: "0", max: "4", value: "0", id: "strength-meter", "aria-labelledby": "password-strength" });
  const verdict = h("span", { id: "password-strength", "data-testid": "strength" });
  const update = () => {
    const p = input.value;
    ruleList.forEach((r, i) =>
      items[i].setAttribute("data-met", r.met ? String(p.length > 0 && r.met(p)) : "unknown"),
    );
    if (!p) {
      meter.value = 0;
      verdict.textContent = "";
      return;
    }
    void estimator().then((z) => {
      // Only the answer for what is in the field now.
      if (input.value !== p) return;
      const score = z.check(p, hints.usernameParts).score;
      meter.value = score;
      verdict.textContent = t(`reset.strength.${score}`);
    });
  };
  input.addEventListener("input", update);
  update();
  return { items, meter, verdict };
}

/** The new password: rules ticked live, a strength meter, show/hide, paste allowed. */
export function passwordStep(
  hints: PasswordHints,
  typed: string,
  submit: (password: string) => Promise<void>,
  cancel: () => void,
  frame?: PasswordStepFrame,
): Node[] {
  const input = newPasswordInput(typed);
  const toggle = visibilityToggle(input);
  const { items, meter, verdict } = liveFeedback(hints, input);
  return [
    h("h1", { tabindex: "-1" }, frame?.title ?? t("reset.password_title")),
    form(
      () => submit(input.value),
      ...(frame?.before ?? []),
      h("label", { for: "new-password" }, t("reset.password_label")),
      h("div", { class: "copy-row" }, input, toggle),
      h("ul", { id: "password-rules", class: "rules", "aria-label": t("reset.rules_label") }, ...items),
      h("div", { class: "strength" }, meter, verdict),
      h(
        "div",
        { class: "actions" },
        button(frame?.submitLabel ?? t("reset.set_password"), "set-password", () => {}, "primary", "submit"),
        button(t("reset.cancel"), "cancel", cancel),
      ),
    ),
  ];
}
