import { ERRORS, type IpcError, type NextStep, type ProviderReason } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";

/** The localised text of an error, with the wait a rate limit names. */
export function errorText(e: IpcError): string {
  return t(e.messageKey, { seconds: e.retryAfterSeconds ?? 60 });
}

/** What the user can do about an error, from the one table generated from Rust (codes.rs). */
export function nextStep(e: IpcError): NextStep {
  return ERRORS[e.code]?.next ?? "helpdesk";
}

/**
 * One reason the provider gave, in the user's language, with the provider's own (English) words
 * after it; a reason Latchkey does not recognise is a generic line and those words.
 */
function reasonItem(r: ProviderReason): HTMLElement {
  const ours = t(r.messageKey, { n: r.count ?? "" });
  const theirs = r.reason === "other" ? r.detail : `${t("reason.provider_said")} ${r.detail}`;
  return h(
    "li",
    { "data-reason": r.reason },
    ours,
    r.detail ? " " : null,
    r.detail ? h("span", { class: "provider-detail" }, theirs) : null,
  );
}

/** An error the screen reader announces, with the provider's reasons and details listed after it. */
export function errorBlock(e: IpcError | null): HTMLElement | null {
  if (!e) return null;
  const reasons = [...(e.reasons ?? []).map(reasonItem), ...e.details.map((d) => h("li", {}, d))];
  return h(
    "div",
    { class: "error", role: "alert", "data-testid": "reset-error", "data-code": e.code, "data-next": nextStep(e) },
    h("p", {}, errorText(e)),
    reasons.length ? h("ul", { "data-testid": "provider-reasons" }, ...reasons) : null,
    h("p", { class: "next", "data-testid": "error-next" }, t(`next.${nextStep(e)}`)),
    referenceLine(e.reference),
  );
}

/** The journey's support reference, which the helpdesk finds in the log: selectable, as is. */
function referenceLine(reference: string | undefined): HTMLElement | null {
  if (!reference) return null;
  return h(
    "p",
    { class: "reference", "data-testid": "support-reference" },
    `${t("support.reference")} `,
    h("code", {}, reference),
  );
}

export function button(
  label: string,
  action: string,
  onClick: () => void,
  kind: "primary" | "secondary" = "secondary",
  type: "button" | "submit" = "button",
): HTMLButtonElement {
  const b = h("button", { type, class: kind, "data-action": action }, label);
  if (type === "button") b.addEventListener("click", onClick);
  return b;
}

/** A form whose submit runs `onSubmit` once at a time; Enter submits, as users expect. */
export function form(onSubmit: () => Promise<void>, ...children: (Node | null)[]): HTMLFormElement {
  const f = h("form", { novalidate: "" }, ...children);
  let busy = false;
  f.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    f.setAttribute("aria-busy", "true");
    void onSubmit().finally(() => {
      busy = false;
      f.removeAttribute("aria-busy");
    });
  });
  return f;
}

/** A code field: numeric keyboard for digit codes, one-time-code autofill, nothing remembered. */
export function codeInput(id: string, typed: string, digits = true): HTMLInputElement {
  return h("input", {
    id,
    name: "code",
    type: "text",
    inputmode: digits ? "numeric" : "text",
    autocomplete: "one-time-code",
    spellcheck: "false",
    required: "",
    value: typed,
  });
}

/**
 * "Send a new code" and, for a phone, "Call me instead" / "Send a text message instead", both
 * disabled while the provider's resend interval counts down.
 */
export function resendControls(
  countdownFrom: number,
  current: "sms" | "call" | "email" | null,
  resend: (switchTo: "sms" | "call" | null) => void,
): { buttons: HTMLButtonElement[]; countdown: HTMLElement } {
  const again = button(t("reset.resend"), "resend", () => resend(null));
  const other = current === "sms" ? "call" : current === "call" ? "sms" : null;
  const buttons = [again];
  if (other) buttons.push(button(t(`reset.switch_to.${other}`), "switch", () => resend(other)));
  const countdown = h("p", { class: "hint", "aria-live": "polite", "data-testid": "resend-countdown" });
  let left = countdownFrom;
  const tick = () => {
    const waiting = left > 0;
    for (const b of buttons) b.disabled = waiting;
    countdown.textContent = waiting ? t("reset.resend_in", { seconds: left }) : "";
    left -= 1;
    if (waiting) setTimeout(tick, 1000);
  };
  tick();
  return { buttons, countdown };
}
