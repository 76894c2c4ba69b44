import type { ResetFactor } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

/** Enter the code; a new one (or a call instead of an SMS) after the countdown. */
export function codeStep(
  factor: ResetFactor,
  resendAfter: number,
  typed: string,
  submit: (code: string) => Promise<void>,
  resend: (switchTo: ResetFactor | null) => Promise<void>,
  cancel: () => void,
): Node[] {
  const code = h("input", {
    id: "reset-code",
    name: "code",
    type: "text",
    inputmode: factor === "email" ? "text" : "numeric",
    autocomplete: "one-time-code",
    spellcheck: "false",
    required: "",
    value: typed,
  });
  const resendButton = button(t("reset.resend"), "resend", () => void resend(null));
  const other: ResetFactor | null = factor === "sms" ? "call" : factor === "call" ? "sms" : null;
  const switchButton = other
    ? button(t(`reset.switch_to.${other}`), "switch", () => void resend(other))
    : null;
  const countdown = h("p", { class: "hint", "aria-live": "polite", "data-testid": "resend-countdown" });
  let left = resendAfter;
  const tick = () => {
    const waiting = left > 0;
    resendButton.disabled = waiting;
    if (switchButton) switchButton.disabled = waiting;
    countdown.textContent = waiting ? t("reset.resend_in", { seconds: left }) : "";
    left -= 1;
    if (waiting) setTimeout(tick, 1000);
  };
  tick();
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
        resendButton,
        switchButton,
        button(t("reset.cancel"), "cancel", cancel),
      ),
      countdown,
    ),
  ];
}
