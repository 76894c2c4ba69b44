import type { Delivery } from "../../bindings";
import { h } from "../../dom";
import { currentLanguage, t } from "../../i18n";
import { button, form } from "../form";

/** Countries offered first in the picker; numbers typed with `+` work for any country. */
const REGIONS = [
  "FR", "BE", "CH", "LU", "CA", "US", "GB", "IE", "DE", "AT", "NL", "ES", "PT", "IT",
  "SE", "NO", "DK", "FI", "PL", "MA", "DZ", "TN", "SN", "CI", "IN", "JP", "AU", "BR", "MX",
];

export interface PhoneValues {
  region: string;
  number: string;
  delivery: Delivery;
}

/** A phone number with its country, and how the code should come. */
export function phoneStep(values: PhoneValues, submit: (v: PhoneValues) => Promise<void>, back: () => void): Node[] {
  const names = new Intl.DisplayNames([currentLanguage()], { type: "region" });
  const select = h("select", { id: "phone-region", name: "region" });
  const options = REGIONS.map((r) => ({ r, name: names.of(r) ?? r })).sort((a, b) => a.name.localeCompare(b.name));
  for (const { r, name } of options) {
    const option = h("option", { value: r }, name);
    option.selected = r === values.region;
    select.append(option);
  }
  const number = h("input", {
    id: "phone-number",
    name: "number",
    type: "tel",
    autocomplete: "off",
    required: "",
    "aria-describedby": "phone-hint",
    value: values.number,
  });
  const deliveries: Delivery[] = ["sms", "call"];
  const radios = deliveries.map((d) => {
    const input = h("input", { type: "radio", name: "delivery", id: `delivery-${d}`, value: d });
    input.checked = d === values.delivery;
    return h("div", { class: "choice" }, input, h("label", { for: `delivery-${d}` }, t(`register.delivery.${d}`)));
  });
  const chosen = () =>
    (document.querySelector<HTMLInputElement>("input[name='delivery']:checked")?.value ?? "sms") as Delivery;
  return [
    h("h1", { tabindex: "-1" }, t("register.phone_title")),
    h("p", {}, t("register.phone_intro")),
    form(
      () => submit({ region: select.value, number: number.value, delivery: chosen() }),
      h("label", { for: "phone-region" }, t("register.country")),
      select,
      h("label", { for: "phone-number" }, t("register.number")),
      number,
      h("p", { class: "hint", id: "phone-hint" }, t("register.number_hint")),
      h("fieldset", {}, h("legend", {}, t("register.delivery.legend")), ...radios),
      h(
        "div",
        { class: "actions" },
        button(t("register.send_code"), "send-code", () => {}, "primary", "submit"),
        button(t("nav.back"), "back", back),
      ),
    ),
  ];
}
