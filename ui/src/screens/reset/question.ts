import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

/** The organisation's second proof: the recovery question, in the provider's words. */
export function questionStep(
  question: string,
  typed: string,
  submit: (answer: string) => Promise<void>,
  cancel: () => void,
): Node[] {
  const answer = h("input", {
    id: "reset-answer",
    name: "answer",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    required: "",
    value: typed,
  });
  return [
    h("h1", { tabindex: "-1" }, t("reset.question_title")),
    h("p", {}, t("reset.question_intro")),
    form(
      () => submit(answer.value),
      h("label", { for: "reset-answer", "data-testid": "question" }, question),
      answer,
      h(
        "div",
        { class: "actions" },
        button(t("reset.continue"), "answer", () => {}, "primary", "submit"),
        button(t("reset.cancel"), "cancel", cancel),
      ),
    ),
  ];
}
