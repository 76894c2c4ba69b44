import type { Reachability, ResetPage } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";
import { button } from "../form";

/** The QR code the core made from the configuration, as SVG elements (never as HTML text). */
function qr(page: ResetPage): Element | null {
  const doc = new DOMParser().parseFromString(page.qrSvg, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg") return null;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("offline.qr_label"));
  return document.importNode(svg, true);
}

/** Offline: why, what to do instead, and that Latchkey carries on by itself once connected. */
export function offlineStep(
  verdict: Reachability,
  page: ResetPage | null,
  helpdesk: HTMLElement | null,
  retryNow: () => void,
  back: () => void,
): Node[] {
  const phone = page
    ? h(
        "section",
        { class: "qr", "data-testid": "reset-qr" },
        h("h2", {}, t("offline.phone_title")),
        h("p", {}, t("offline.phone_body")),
        qr(page),
        h("p", { class: "hint" }, page.url),
      )
    : null;
  return [
    h("h1", { tabindex: "-1" }, t("offline.title")),
    h("p", { "data-testid": "offline-reason", "data-verdict": verdict }, t(`offline.reason.${verdict}`)),
    h("p", {}, t("offline.connect")),
    h("p", { role: "status", "aria-live": "polite", "data-testid": "offline-status" }, t("offline.watching")),
    phone,
    helpdesk,
    h(
      "div",
      { class: "actions" },
      button(t("offline.retry"), "retry", retryNow, "primary"),
      button(t("nav.back"), "back", back),
    ),
  ].filter((n): n is HTMLElement => n !== null);
}
