import type { HelpdeskContact } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";

/** The helpdesk block shown on every screen that can end in "contact the helpdesk". */
export function helpdeskBlock(contact: HelpdeskContact | null): HTMLElement {
  const lines: HTMLElement[] = [];
  if (contact) {
    const fields = ["phone", "email", "hours", "url"] as const;
    for (const field of fields) {
      const value = contact[field];
      if (value) lines.push(h("li", { "data-field": field }, t(`helpdesk.${field}`, { value })));
    }
  }
  return h(
    "section",
    { class: "helpdesk", "aria-labelledby": "helpdesk-title", "data-testid": "helpdesk" },
    h("h2", { id: "helpdesk-title" }, t("helpdesk.title")),
    lines.length ? h("ul", {}, ...lines) : h("p", {}, t("helpdesk.unknown")),
  );
}
