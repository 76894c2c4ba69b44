import type { Bootstrap } from "../bindings";

/** Where a screen can send the user. */
export type Route =
  | "home"
  | "onboarding"
  | "register"
  | "reset"
  | "change"
  | "change_password"
  | "config_error"
  | "error_catalogue";

export interface ScreenContext {
  boot: Bootstrap;
  go: (route: Route) => void;
}

/** A screen renders into a fresh element; the router mounts it and moves focus to its heading. */
export interface Screen {
  element: HTMLElement;
  /** Escape goes back where a screen has somewhere to go back to. */
  onEscape?: () => void;
}
