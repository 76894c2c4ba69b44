import type { PasswordExpiry } from "../bindings";
import { h } from "../dom";
import { t } from "../i18n";

/** One line on when the password expires; a reminder (role=status) inside the window. */
export function expiryNotice(expiry: PasswordExpiry): HTMLElement | null {
  if (expiry.state !== "expires" || expiry.daysLeft === null || !expiry.expiresOn) return null;
  const date = new Date(`${expiry.expiresOn}T12:00:00Z`).toLocaleDateString(document.documentElement.lang || undefined, {
    dateStyle: "long",
    timeZone: "UTC",
  });
  const key = expiry.daysLeft < 0 ? "expiry.expired" : expiry.daysLeft === 0 ? "expiry.today" : "expiry.in_days";
  return h(
    "p",
    {
      class: expiry.remind ? "notice reminder" : "notice",
      role: expiry.remind ? "status" : "note",
      "data-testid": "expiry",
      "data-remind": String(expiry.remind),
      "data-days-left": String(expiry.daysLeft),
    },
    t(key, { count: Math.abs(expiry.daysLeft), date }),
  );
}
