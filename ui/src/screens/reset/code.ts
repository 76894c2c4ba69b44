import type { ResetFactor } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, codeInput, form, resendControls } from "../form";

/** Enter the code; a new one (or a call instead of an SMS) after the countdown. */
export function codeStep(
  factor: ResetFactor,
  resendAfter: number,
  typed: string,
  submit: (code: string) => Promise<void>,
  resend: (switchTo: ResetFactor | null) => Promise<void>,
  cancel: () => void,
): Node[] {
  const code = codeInput("reset-code", typed, factor !== "email");
  const { buttons, countdown } = resendControls(resendAfter, factor, (switchTo) => void resend(switchTo));
  return [
    h("h1", { tabindex: "-1" }, t("reset.code_title")),
    h("p", {}, t(`reset.code_sent.${factor}`)),
    form(
      () => submit(code.value),
      h("label", { for: "reset-code" }, t(factor === "email" ? "reset.email_code_label" : "reset.code_label")),
      code,
      h(
        "div",
        { class: "actions" },
        button(t("reset.verify"), "verify", () => {}, "primary", "submit"),
        ...buttons,
        button(t("reset.cancel"), "cancel", cancel),
      ),
      countdown,
    ),
  ];
}
