import type { Delivery, PendingMethod } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

/** The code sent to the new phone or address; resend after a countdown; or give up on it. */
export function confirmStep(
  pending: PendingMethod,
  countdownFrom: number,
  typed: string,
  submit: (code: string) => Promise<void>,
  resend: (switchTo: Delivery | null) => Promise<void>,
  cancel: () => void,
): Node[] {
  const code = h("input", {
    id: "register-code",
    name: "code",
    type: "text",
    inputmode: "numeric",
    autocomplete: "one-time-code",
    spellcheck: "false",
    required: "",
    value: typed,
  });
  const resendButton = button(t("reset.resend"), "resend", () => void resend(null));
  const other: Delivery | null = pending.delivery === "sms" ? "call" : pending.delivery === "call" ? "sms" : null;
  const switchButton = other ? button(t(`reset.switch_to.${other}`), "switch", () => void resend(other)) : null;
  const countdown = h("p", { class: "hint", "aria-live": "polite" });
  let left = countdownFrom;
  const tick = () => {
    const waiting = left > 0;
    resendButton.disabled = waiting;
    if (switchButton) switchButton.disabled = waiting;
    countdown.textContent = waiting ? t("reset.resend_in", { seconds: left }) : "";
    left -= 1;
    if (waiting) setTimeout(tick, 1000);
  };
  tick();
  const sentTo = pending.kind === "phone" ? `register.sent.${pending.delivery ?? "sms"}` : "register.sent.email";
  return [
    h("h1", { tabindex: "-1" }, t("register.code_title")),
    h("p", { "data-testid": "sent-to" }, t(sentTo, { masked: pending.masked })),
    form(
      () => submit(code.value),
      h("label", { for: "register-code" }, t("reset.code_label")),
      code,
      h(
        "div",
        { class: "actions" },
        button(t("register.confirm"), "confirm", () => {}, "primary", "submit"),
        resendButton,
        switchButton,
        button(t("reset.cancel"), "cancel", cancel),
      ),
      countdown,
    ),
  ];
}
