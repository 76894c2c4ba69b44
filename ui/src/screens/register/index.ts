import {
  asIpcError,
  registrationAddEmail,
  registrationAddPhone,
  registrationCancel,
  registrationConfirm,
  registrationOpenHandoff,
  registrationReconfirm,
  registrationRemove,
  registrationResend,
  registrationStatus,
} from "../../backend";
import type { Delivery, IpcError, RegistrationView } from "../../bindings";
import { h } from "../../dom";
import { currentLanguage, t } from "../../i18n";
import { errorBlock } from "../form";
import { helpdeskBlock } from "../helpdesk";
import type { Screen, ScreenContext } from "../screen";
import { confirmStep } from "./code";
import { handoffStep } from "./handoff";
import { emailStep } from "./email";
import { type PhoneValues, phoneStep } from "./phone";
import { summaryStep } from "./summary";

/**
 * Onboarding after sign-in: the summary of what is required and registered → add a phone or an
 * e-mail → confirm it with the code sent to it → back to the summary, until the policy is met.
 */
/** How often the hand-off step reads the methods again while Microsoft's page is open. */
const POLL_MS = 4000;

export function registerScreen({ boot, go }: ScreenContext): Screen {
  const element = h("div", { class: "screen", "data-screen": "register" });
  const organisation = boot.organisation?.name ?? "";
  let phone: PhoneValues = { region: currentLanguage() === "fr" ? "FR" : "US", number: "", delivery: "sms" };
  let email = "";
  let last: RegistrationView | null = null;
  let opened: string | null = null;
  let polling = false;

  function show(step: string, error: IpcError | null, nodes: Node[]): void {
    element.setAttribute("data-step", step);
    const err = errorBlock(error);
    element.replaceChildren(...nodes.slice(0, 2), ...(err ? [err] : []), ...nodes.slice(2));
    if (error) element.append(helpdeskBlock(boot.helpdesk));
    const focus = error
      ? element.querySelector<HTMLElement>("input:not([type=radio]), select")
      : element.querySelector<HTMLElement>("h1");
    focus?.focus();
  }

  /** Shows a registration as it now stands: the code to enter, or the summary. */
  function render(view: RegistrationView, error: IpcError | null = null, typed = ""): void {
    last = view;
    if (view.handoff) {
      const later = boot.registrationRequired ? null : () => go("home");
      show("handoff", error, handoffStep(view, organisation, opened, openHandoff, () => void refresh(), later, () => go("home"), remove));
      if (!view.complete) poll();
      return;
    }
    if (view.pending) {
      const pending = view.pending;
      const resend = (switchTo: Delivery | null) =>
        call(() => registrationResend(switchTo), (e) => render(view, e, typed));
      show("confirm", error, confirmStep(pending, error ? 0 : pending.resendAfterSeconds, typed,
        (code) => call(() => registrationConfirm(code), (e) => render(view, e, code)),
        resend,
        () => void call(() => registrationCancel(), (e) => render(view, e, typed))));
      return;
    }
    const later = boot.registrationRequired ? null : () => go("home");
    show("summary", error, summaryStep(view, organisation, () => showPhone(), () => showEmail(), later, () => go("home"),
      () => void call(() => registrationReconfirm(), (e) => render(view, e)), remove));
  }

  function showPhone(error: IpcError | null = null): void {
    show("phone", error, phoneStep(phone, async (values) => {
      phone = values;
      await call(() => registrationAddPhone(values.region, values.number, values.delivery), showPhone);
    }, summary));
  }

  function showEmail(error: IpcError | null = null): void {
    show("email", error, emailStep(email, async (address) => {
      email = address;
      await call(() => registrationAddEmail(address), showEmail);
    }, summary));
  }

  function remove(id: string): void {
    void call(() => registrationRemove(id), (e) => last && render(last, e));
  }

  function openHandoff(): void {
    registrationOpenHandoff()
      .then((url) => {
        opened = url;
        if (last) render(last);
      })
      .catch((e) => last && render(last, asIpcError(e)));
  }

  /** Reads the methods again, keeping the step (and any error shown) if nothing changed. */
  async function refresh(): Promise<void> {
    try {
      const view = await registrationStatus();
      const changed = JSON.stringify(view) !== JSON.stringify(last);
      if (changed || element.getAttribute("data-step") !== "handoff") render(view);
    } catch (e) {
      const error = asIpcError(e);
      if (error.code === "sign_in_required") go("onboarding");
      else if (last) render(last, error);
    }
  }

  /** While this step is on screen and incomplete, reads the methods every few seconds. */
  function poll(): void {
    if (polling) return;
    polling = true;
    const tick = async () => {
      if (!element.isConnected || element.getAttribute("data-step") !== "handoff" || last?.complete) {
        polling = false;
        return;
      }
      await refresh();
      setTimeout(() => void tick(), POLL_MS);
    };
    setTimeout(() => void tick(), POLL_MS);
  }

  // Coming back from the browser: read at once rather than at the next tick.
  window.addEventListener("focus", () => {
    if (element.isConnected && element.getAttribute("data-step") === "handoff") void refresh();
  });

  function summary(): void {
    if (last) render({ ...last, pending: null });
  }

  async function call(run: () => Promise<RegistrationView>, again: (e: IpcError) => void): Promise<void> {
    try {
      render(await run());
    } catch (e) {
      const error = asIpcError(e);
      if (error.code === "sign_in_required") go("onboarding");
      else again(error);
    }
  }

  element.setAttribute("aria-busy", "true");
  element.replaceChildren(h("h1", { tabindex: "-1" }, t("register.title")), h("p", {}, t("app.loading")));
  void registrationStatus()
    .then((view) => render(view))
    .catch((e) => {
      const error = asIpcError(e);
      show("error", error, [h("h1", { tabindex: "-1" }, t("register.title")), h("p", {}, "")]);
    })
    .finally(() => element.removeAttribute("aria-busy"));
  return { element, onEscape: () => go("home") };
}
