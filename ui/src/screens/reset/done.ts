import { h } from "../../dom";
import { t } from "../../i18n";
import { button } from "../form";

/** What to do next with the new password. */
export function doneStep(home: () => void): Node[] {
  return [
    h("h1", { tabindex: "-1" }, t("reset.done_title")),
    h("p", {}, t("reset.done_body")),
    h("p", {}, t("reset.done_cached")),
    h("div", { class: "actions" }, button(t("reset.done_home"), "home", home, "primary")),
  ];
}
