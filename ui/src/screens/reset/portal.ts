import type { PortalHandoff } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button, form } from "../form";

/**
 * Entra: Microsoft offers no API to reset a forgotten password, so the reset happens on its
 * SSPR portal. This step takes the username, to fill it in there.
 */
export function portalStartStep(username: string, submit: (username: string) => Promise<void>, back: () => void): Node[] {
  const input = h("input", {
    id: "reset-username",
    name: "username",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "off",
    required: "",
    value: username,
  });
  return [
    h("h1", { tabindex: "-1" }, t("entry.reset.title")),
    h("p", {}, t("reset.portal.intro")),
    form(
      () => submit(input.value),
      h("label", { for: "reset-username" }, t("reset.username")),
      input,
      h(
        "div",
        { class: "actions" },
        button(t("reset.portal.open"), "open-portal", () => {}, "primary", "submit"),
        button(t("nav.back"), "back", back),
      ),
    ),
  ];
}

/** The portal is open in the browser: what happens there, and its address to copy. */
export function portalOpenedStep(handoff: PortalHandoff, again: () => void, home: () => void): Node[] {
  const nodes: (Node | null)[] = [];
  const link = h("input", { type: "text", readonly: "", id: "portal-url", value: handoff.url, spellcheck: "false" });
  nodes.push(
    h("h1", { tabindex: "-1" }, t("reset.portal.opened_title")),
    handoff.browserOpened ? null : h("p", { class: "error", role: "alert" }, t("error.browser_unavailable")),
    h("p", {}, t("reset.portal.opened_body")),
    h("p", {}, t("reset.done_cached")),
    h("label", { for: "portal-url" }, t("reset.portal.link_label")),
    h(
      "div",
      { class: "copy-row" },
      link,
      button(t("sign_in.copy"), "copy", () => {
        link.select();
        void navigator.clipboard?.writeText(handoff.url).catch(() => document.execCommand("copy"));
      }),
    ),
    h(
      "div",
      { class: "actions" },
      button(t("reset.portal.again"), "open-portal-again", again),
      button(t("register.done"), "done", home, "primary"),
    ),
  );
  return nodes.filter((n): n is Node => n !== null);
}
