import type { ResetFactor } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

export interface StartValues {
  username: string;
  factor: ResetFactor;
}

/** Who you are and how to get the code. Keeps what was typed when shown again after an error. */
export function startStep(values: StartValues, submit: (v: StartValues) => Promise<void>, back: () => void): Node[] {
  const username = h("input", {
    id: "reset-username",
    name: "username",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "off",
    required: "",
    value: values.username,
  });
  const factors: ResetFactor[] = ["sms", "call", "email"];
  const radios = factors.map((f) => {
    const input = h("input", { type: "radio", name: "factor", id: `factor-${f}`, value: f });
    input.checked = f === values.factor;
    return h("div", { class: "choice" }, input, h("label", { for: `factor-${f}` }, t(`reset.factor.${f}`)));
  });
  const chosen = () =>
    (document.querySelector<HTMLInputElement>("input[name='factor']:checked")?.value ?? "sms") as ResetFactor;
  return [
    h("h1", { tabindex: "-1" }, t("entry.reset.title")),
    h("p", {}, t("reset.intro")),
    form(
      () => submit({ username: username.value, factor: chosen() }),
      h("label", { for: "reset-username" }, t("reset.username")),
      username,
      h("fieldset", {}, h("legend", {}, t("reset.factor.legend")), ...radios),
      h("p", { class: "hint" }, t("reset.factor.hint")),
      h(
        "div",
        { class: "actions" },
        button(t("reset.send_code"), "send-code", () => {}, "primary", "submit"),
        button(t("nav.back"), "back", back),
      ),
    ),
  ];
}
