import { openOutbox } from "../backend";
import type { DemoTenant } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";

/** In demo mode: who can sign in, and the way to the sandbox's outbox where the codes arrive. */
export function demoBanner(demo: DemoTenant | null): HTMLElement | null {
  if (!demo) return null;
  const status = h("p", { role: "status", "data-testid": "outbox-status" });
  const button = h(
    "button",
    { type: "button", "data-testid": "open-outbox" },
    t("demo.open_outbox"),
  );
  button.addEventListener("click", () => {
    status.textContent = "";
    openOutbox().catch(() => {
      status.textContent = t("demo.outbox_failed", { url: demo.outboxUrl });
    });
  });
  const users = demo.users.map((u) =>
    h(
      "li",
      {},
      t(u.registered ? "demo.user_registered" : "demo.user_new", {
        name: u.displayName,
        username: u.username,
      }),
    ),
  );
  return h(
    "aside",
    { class: "demo", "aria-label": t("demo.label"), "data-testid": "demo-banner" },
    h("p", {}, t("demo.intro")),
    h("p", {}, t("demo.users")),
    h("ul", {}, ...users),
    button,
    status,
  );
}
