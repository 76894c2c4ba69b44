import { h } from "../dom";
import { t } from "../i18n";
import { helpdeskBlock } from "./helpdesk";
import type { Screen, ScreenContext } from "./screen";

/** The managed configuration could not be used: say so plainly, show IT where, and whom to call. */
export function configErrorScreen({ boot }: ScreenContext): Screen {
  const problem = boot.configProblem;
  const facts: HTMLElement[] = [];
  if (problem) {
    facts.push(h("li", { "data-field": "path" }, t("config_error.file", { value: problem.path })));
    if (problem.line !== null) facts.push(h("li", { "data-field": "line" }, t("config_error.line", { value: problem.line })));
    if (problem.key !== null) facts.push(h("li", { "data-field": "key" }, t("config_error.key", { value: problem.key })));
    facts.push(h("li", { "data-field": "detail" }, t("config_error.detail", { value: problem.detail })));
  }
  const element = h(
    "div",
    { class: "screen", "data-screen": "config_error", role: "alert" },
    h("h1", { tabindex: "-1" }, t("config_error.title")),
    h("p", { "data-testid": "problem" }, t(problem?.messageKey ?? "error.internal")),
    h("p", {}, t("config_error.what_to_do")),
    h("ul", { class: "facts", "aria-label": t("config_error.title") }, ...facts),
    helpdeskBlock(boot.helpdesk),
  );
  return { element };
}
