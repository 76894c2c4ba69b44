import type { Delivery, PendingMethod } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, codeInput, form, resendControls } from "../form";

/** The code sent to the new phone or address; resend after a countdown; or give up on it. */
export function confirmStep(
  pending: PendingMethod,
  countdownFrom: number,
  typed: string,
  submit: (code: string) => Promise<void>,
  resend: (switchTo: Delivery | null) => Promise<void>,
  cancel: () => void,
): Node[] {
  const code = codeInput("register-code", typed);
  const { buttons, countdown } = resendControls(countdownFrom, pending.delivery, (switchTo) => void resend(switchTo));
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
        ...buttons,
        button(t("reset.cancel"), "cancel", cancel),
      ),
      countdown,
    ),
  ];
}
