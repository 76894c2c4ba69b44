import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

/** A personal address the user can read without their work account. */
export function emailStep(typed: string, submit: (address: string) => Promise<void>, back: () => void): Node[] {
  const address = h("input", {
    id: "email-address",
    name: "email",
    type: "email",
    autocomplete: "off",
    spellcheck: "false",
    required: "",
    value: typed,
  });
  return [
    h("h1", { tabindex: "-1" }, t("register.email_title")),
    h("p", {}, t("register.email_intro")),
    form(
      () => submit(address.value),
      h("label", { for: "email-address" }, t("register.email_label")),
      address,
      h(
        "div",
        { class: "actions" },
        button(t("register.send_code"), "send-code", () => {}, "primary", "submit"),
        button(t("nav.back"), "back", back),
      ),
    ),
  ];
}
