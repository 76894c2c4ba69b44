//! Which language the UI speaks: forced by IT, or the OS's.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Fr,
}

/// The configuration's choice: `auto` follows the OS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSetting {
    #[default]
    Auto,
    En,
    Fr,
}

impl Language {
    /// The language for a setting and the OS locale (a BCP 47 or POSIX tag such as `fr-CA` or
    /// `fr_FR.UTF-8`). Anything we do not translate falls back to English.
    pub fn resolve(setting: LanguageSetting, os_locale: Option<&str>) -> Language {
        match setting {
            LanguageSetting::En => Language::En,
            LanguageSetting::Fr => Language::Fr,
            LanguageSetting::Auto => {
                let primary = os_locale
                    .unwrap_or_default()
                    .split(['-', '_', '.', '@'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if primary == "fr" {
                    Language::Fr
                } else {
                    Language::En
                }
            }
        }
    }

    /// Resolves against the running OS's locale.
    pub fn for_os(setting: LanguageSetting) -> Language {
        Language::resolve(setting, sys_locale::get_locale().as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_os() {
        let auto = LanguageSetting::Auto;
        assert_eq!(Language::resolve(auto, Some("fr-FR")), Language::Fr);
        assert_eq!(Language::resolve(auto, Some("fr_CA.UTF-8")), Language::Fr);
        assert_eq!(Language::resolve(auto, Some("FR")), Language::Fr);
        assert_eq!(Language::resolve(auto, Some("en-GB")), Language::En);
        assert_eq!(Language::resolve(auto, Some("de-DE")), Language::En);
        assert_eq!(Language::resolve(auto, Some("C")), Language::En);
        assert_eq!(Language::resolve(auto, None), Language::En);
    }

    #[test]
    fn forced_language_wins() {
        assert_eq!(
            Language::resolve(LanguageSetting::Fr, Some("en-US")),
            Language::Fr
        );
        assert_eq!(
            Language::resolve(LanguageSetting::En, Some("fr-FR")),
            Language::En
        );
    }
}
