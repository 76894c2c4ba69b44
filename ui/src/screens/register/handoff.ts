import type { RegistrationView } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button } from "../form";
import { methodList } from "./methods";

/**
 * Entra: Graph does not let users add a phone or an e-mail for themselves, so they add them on
 * Microsoft's security info page. This step says why, opens it, and lists what Graph reports,
 * read again every few seconds and whenever the window regains focus.
 */
export function handoffStep(
  view: RegistrationView,
  organisation: string,
  opened: string | null,
  open: () => void,
  check: () => void,
  later: (() => void) | null,
  done: () => void,
  remove: (id: string) => void,
): Node[] {
  const distinct = new Set(view.methods.map((m) => m.kind)).size;
  const nodes: (Node | null)[] = [
    h("h1", { tabindex: "-1" }, t(view.complete ? "register.complete_title" : "register.title")),
    h("p", { "data-testid": "requirement" }, t("register.requirement_entra", { organisation, count: view.required })),
    view.complete ? null : h("p", {}, t("register.handoff.why")),
    methodList(view, remove),
    h(
      "p",
      { role: "status", "data-testid": "progress", "data-complete": String(view.complete) },
      view.complete ? t("register.complete_body") : t("register.handoff.progress", { done: Math.min(distinct, view.required), count: view.required }),
    ),
    opened && !view.complete ? h("p", { "data-testid": "handoff-opened" }, t("register.handoff.opened", { url: opened })) : null,
    h(
      "div",
      { class: "actions" },
      view.complete ? button(t("register.done"), "done", done, "primary") : button(t("register.handoff.open"), "open-handoff", open, "primary"),
      button(t("register.handoff.check"), "check-again", check),
      !view.complete && later ? button(t("register.later"), "later", later) : null,
    ),
  ];
  return nodes.filter((n): n is Node => n !== null);
}
