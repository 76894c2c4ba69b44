import { asIpcError, bootstrap } from "./backend";
import type { Bootstrap } from "./bindings";
import { h } from "./dom";
import { setLanguage, t } from "./i18n";
import { configErrorScreen } from "./screens/config-error";
import { errorCatalogueScreen } from "./screens/error-catalogue";
import { changeScreen } from "./screens/change";
import { homeScreen } from "./screens/home";
import { registerScreen } from "./screens/register";
import { resetScreen } from "./screens/reset";
import { signInScreen } from "./screens/sign-in";
import type { Route, Screen, ScreenContext } from "./screens/screen";

const root = document.getElementById("app") as HTMLElement;
let current: Screen | null = null;

function render(boot: Bootstrap, route: Route): void {
  const context: ScreenContext = { boot, go: (next) => render(boot, next) };
  current = screenFor(route, context);
  root.replaceChildren(current.element, footer(boot));
  root.setAttribute("aria-busy", "false");
  // Move focus to the new screen's heading so keyboard and screen-reader users land on it.
  current.element.querySelector<HTMLElement>("h1")?.focus();
}

function screenFor(route: Route, context: ScreenContext): Screen {
  switch (route) {
    case "home":
      return homeScreen(context);
    case "config_error":
      return configErrorScreen(context);
    case "onboarding":
      return signInScreen(context, route);
    case "change":
      // Where the provider offers no password change, say so at once rather than after a sign-in.
      return context.boot.passwordChange ? signInScreen(context, route) : changeScreen(context);
    case "reset":
      return resetScreen(context);
    case "register":
      return registerScreen(context);
    case "change_password":
      return changeScreen(context);
    case "error_catalogue":
      return errorCatalogueScreen(context);
  }
}

function footer(boot: Bootstrap): HTMLElement {
  return h("footer", {}, t("app.version", { version: boot.version }));
}

/** The page title (and so the window's) follows the screen's heading, then the app's name. */
function followHeading(): void {
  const update = () => {
    const heading = root.querySelector("h1")?.textContent?.trim();
    const title = heading ? `${heading} — Latchkey` : "Latchkey";
    if (document.title !== title) document.title = title;
  };
  new MutationObserver(update).observe(root, { childList: true, subtree: true, characterData: true });
  update();
}

function applyBranding(boot: Bootstrap): void {
  const accent = boot.organisation?.accentColor;
  // Validated as #rrggbb by the core; set through the CSSOM, which the CSP allows.
  if (accent) document.documentElement.style.setProperty("--accent", accent);
}

declare global {
  interface Window {
    /** Called by the Rust side when a second launch asks for a journey (single instance). */
    latchkeyOpen?: (route: Route) => void;
  }
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && current?.onEscape) {
    event.preventDefault();
    current.onEscape();
  }
});

async function start(): Promise<void> {
  try {
    const boot = await bootstrap();
    await setLanguage(boot.language);
    applyBranding(boot);
    followHeading();
    render(boot, boot.configProblem ? "config_error" : boot.entry);
    window.latchkeyOpen = (route) => {
      const journey = route === "reset" || route === "onboarding" || route === "change";
      // The error catalogue is a demo-build page for the end-to-end tests and for translators.
      const catalogue = route === "error_catalogue" && boot.demo !== null;
      if (!boot.configProblem && (journey || catalogue)) render(boot, route);
    };
  } catch (e) {
    const lang = navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
    await setLanguage(lang);
    root.replaceChildren(
      h(
        "div",
        { class: "screen", "data-screen": "fatal", role: "alert" },
        h("h1", { tabindex: "-1" }, t(asIpcError(e).messageKey)),
      ),
    );
    root.setAttribute("aria-busy", "false");
  }
}

void start();
