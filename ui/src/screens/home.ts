import { h } from "../dom";
import { t } from "../i18n";
import { demoBanner } from "./demo-banner";
import { helpdeskBlock } from "./helpdesk";
import type { Route, Screen, ScreenContext } from "./screen";

const ENTRIES: { route: Route; key: string }[] = [
  { route: "onboarding", key: "entry.onboarding" },
  { route: "reset", key: "entry.reset" },
  { route: "change", key: "entry.change" },
];

export function homeScreen({ boot, go }: ScreenContext): Screen {
  const organisation = boot.organisation?.name ?? "";
  const entries = ENTRIES.map(({ route, key }) => {
    const button = h(
      "button",
      { type: "button", class: "entry", "data-route": route, "aria-describedby": `${route}-desc` },
      h("span", { class: "entry-title" }, t(`${key}.title`)),
      h("span", { class: "entry-desc", id: `${route}-desc` }, t(`${key}.description`)),
    );
    button.addEventListener("click", () => go(route));
    return h("li", {}, button);
  });
  const requirement =
    boot.methodsRequired > 0
      ? h(
          "p",
          { "data-testid": "requirement" },
          t("home.requirement", {
            organisation,
            count: boot.methodsRequired,
            methods: boot.methodsAllowed.map((m) => t(`methods.${m}`)).join(", "),
          }),
        )
      : null;
  const element = h(
    "div",
    { class: "screen", "data-screen": "home" },
    demoBanner(boot.demo),
    h("p", { class: "org", "data-testid": "organisation" }, organisation),
    h("h1", { tabindex: "-1" }, t("home.title", { organisation })),
    h("p", {}, t("home.intro")),
    requirement,
    h("nav", { "aria-label": t("home.entries") }, h("ul", { class: "entries" }, ...entries)),
    helpdeskBlock(boot.helpdesk),
  );
  return { element };
}
