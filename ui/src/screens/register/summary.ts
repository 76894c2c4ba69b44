import type { RegistrationView } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button } from "../form";
import { methodList } from "./methods";

/** What the organisation requires, what is registered (masked), and what to add next. */
export function summaryStep(
  view: RegistrationView,
  organisation: string,
  addPhone: () => void,
  addEmail: () => void,
  later: (() => void) | null,
  done: () => void,
  reconfirm: () => void,
  remove: (id: string) => void,
): Node[] {
  const asking = view.complete && view.reconfirmDue;
  const title = asking ? "register.reconfirm_title" : view.complete ? "register.complete_title" : "register.title";
  const has = (kind: string) => view.methods.some((m) => m.kind === kind);
  const nodes: (Node | null)[] = [
    h("h1", { tabindex: "-1" }, t(title)),
    h("p", { "data-testid": "requirement" }, t("register.requirement", { organisation, count: view.required })),
    methodList(view, remove),
    asking ? h("p", {}, t("register.reconfirm_body")) : null,
    view.complete && !asking ? h("p", { role: "status" }, t("register.complete_body")) : null,
    h(
      "div",
      { class: "actions" },
      has("phone") ? null : button(t("register.add_phone"), "add-phone", addPhone, view.complete ? "secondary" : "primary"),
      has("email") ? null : button(t("register.add_email"), "add-email", addEmail),
      asking ? button(t("register.reconfirm_yes"), "reconfirm", reconfirm, "primary") : null,
      view.complete && !asking ? button(t("register.done"), "done", done, "primary") : null,
      !view.complete && later ? button(t("register.later"), "later", later) : null,
    ),
  ];
  return nodes.filter((n): n is Node => n !== null);
}
