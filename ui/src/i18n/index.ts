import i18next from "i18next";
import en from "./en.json";
import fr from "./fr.json";
import type { Language } from "../bindings";

export async function setLanguage(language: Language): Promise<void> {
  await i18next.init({
    lng: language,
    fallbackLng: "en",
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false }, // we only ever assign text, never HTML
    returnNull: false,
  });
  document.documentElement.lang = language;
}

export function t(key: string, options?: Record<string, unknown>): string {
  return i18next.t(key, options ?? {});
}

/** The language the UI speaks now (`en` or `fr`). */
export function currentLanguage(): Language {
  return i18next.language === "fr" ? "fr" : "en";
}
