import type { RegistrationView } from "../../bindings";
import { h } from "../../dom";
import { t } from "../../i18n";

/**
 * What is registered, masked, each with a Remove button that asks once more before it acts
 * (the first press turns it into "Yes, remove it").
 */
export function methodList(view: RegistrationView, remove: (id: string) => void): HTMLElement {
  if (!view.methods.length) return h("p", { "data-testid": "registered" }, t("register.none"));
  const items = view.methods.map((m) => {
    const label = t(`register.method.${m.kind}`, { masked: m.masked });
    const button = h(
      "button",
      { type: "button", class: "secondary inline", "data-action": "remove", "data-id": m.id, "aria-label": t("register.remove_label", { method: label }) },
      t("register.remove"),
    );
    button.addEventListener("click", () => {
      if (button.getAttribute("data-armed") === "true") {
        remove(m.id);
        return;
      }
      button.setAttribute("data-armed", "true");
      button.textContent = t("register.remove_confirm");
      // Screen readers hear the question too, not the first label again.
      button.setAttribute("aria-label", t("register.remove_confirm_label", { method: label }));
    });
    return h("li", { "data-kind": m.kind }, h("span", {}, label), " ", button);
  });
  return h("ul", { "data-testid": "registered", class: "methods", "aria-label": t("register.registered") }, ...items);
}
