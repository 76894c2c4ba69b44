import { h } from "../dom";
import { t } from "../i18n";
import { button } from "./form";

/** A way to find out whether the change went through, or to leave. */
export interface Check {
  label: string;
  action: string;
  run: () => void;
}

/**
 * A password reset or change whose answer was lost (T21): it may have gone through. The error
 * shown with it says how to find out; the actions (the first one primary) are that check and
 * leaving — never the form, whose resubmission could change the password twice or be refused
 * as a wrong current password.
 */
export function unconfirmedStep(first: Check, ...others: Check[]): Node[] {
  return [
    h("h1", { tabindex: "-1" }, t("unconfirmed.title")),
    h("p", { "data-testid": "unconfirmed-body" }, t("unconfirmed.body")),
    h(
      "div",
      { class: "actions" },
      button(first.label, first.action, first.run, "primary"),
      ...others.map((c) => button(c.label, c.action, c.run)),
    ),
  ];
}
