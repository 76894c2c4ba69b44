import { ERRORS, type ErrorCode, type IpcError } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";
import { errorBlock } from "./form";
import type { Screen, ScreenContext } from "./screen";

/**
 * Every error the app can show, each once, exactly as a journey shows it (the same `errorBlock`,
 * text and next step). Demo builds only: the end-to-end tests read it in English and French, and
 * translators can review every message in one place.
 */
export function errorCatalogueScreen(_context: ScreenContext): Screen {
  const codes = Object.keys(ERRORS) as ErrorCode[];
  const items = codes.map((code) => {
    const error: IpcError = {
      code,
      messageKey: ERRORS[code].messageKey,
      // A number at run time, as every IPC answer is JSON (ts-rs types u64 as bigint).
      retryAfterSeconds: 30 as unknown as bigint,
      details: [],
      reasons: [],
    };
    return h("li", { "data-catalogue-code": code }, errorBlock(error));
  });
  const element = h(
    "section",
    { class: "screen", "data-screen": "error-catalogue" },
    h("h1", { tabindex: "-1" }, t("catalogue.title")),
    h("ul", { class: "catalogue" }, ...items),
  );
  return { element };
}
