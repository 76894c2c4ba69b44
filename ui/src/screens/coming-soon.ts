import { h } from "../dom";
import { t } from "../i18n";
import { helpdeskBlock } from "./helpdesk";
import type { Screen, ScreenContext } from "./screen";

/** A journey that a later version delivers; the navigation to it and back is already real. */
export function comingSoonScreen(
  { boot, go }: ScreenContext,
  route: "reset",
): Screen {
  const back = h("button", { type: "button", class: "secondary", "data-action": "back" }, t("nav.back"));
  back.addEventListener("click", () => go("home"));
  const element = h(
    "div",
    { class: "screen", "data-screen": route },
    h("h1", { tabindex: "-1" }, t(`entry.${route}.title`)),
    h("p", {}, t("soon.body")),
    h("p", {}, t("soon.meanwhile")),
    helpdeskBlock(boot.helpdesk),
    h("div", { class: "actions" }, back, h("span", { class: "hint" }, t("nav.back_hint"))),
  );
  return { element, onEscape: () => go("home") };
}
