//! A provider's reasons for refusing a password, in the user's language: each cause the
//! provider sends in English is recognised as a [`Reason`] the UI words itself (`reason.*` in
//! `ui/src/i18n/*.json`), and the provider's own text is kept beside it as a detail.
//!
//! Recognised: the requirement lists of Okta's `Invalid-Password-400` example
//! (`myaccount.json`) and of `/authn/credentials/reset_password`'s E0000014/E0000080 causes
//! (`authn-recovery.json`), the history and minimum-age texts of Okta's password policy, and
//! the common-password refusal. Anything else is [`Reason::Other`] with the text as its detail.

use serde::Serialize;
use ts_rs::TS;

/// A password requirement the provider says the new password missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// At least `count` characters.
    MinLength,
    Lowercase,
    Uppercase,
    Number,
    Symbol,
    /// No part of the username (or of the user's name).
    NoUsername,
    /// Not one of the last `count` passwords (or, without a count, not a recent one).
    History,
    /// The password was changed too recently to change it again.
    MinAge,
    /// A commonly used password.
    Common,
    /// A cause Latchkey does not recognise: a generic line, then the provider's text.
    Other,
}

impl Reason {
    /// The key of the localised text in `ui/src/i18n/*.json` (`{{n}}` is the count).
    pub fn message_key(self) -> &'static str {
        match self {
            Reason::MinLength => "reason.min_length",
            Reason::Lowercase => "reason.lowercase",
            Reason::Uppercase => "reason.uppercase",
            Reason::Number => "reason.number",
            Reason::Symbol => "reason.symbol",
            Reason::NoUsername => "reason.no_username",
            Reason::History => "reason.history",
            Reason::MinAge => "reason.min_age",
            Reason::Common => "reason.common",
            Reason::Other => "reason.other",
        }
    }
}

/// One recognised reason, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderReason {
    pub reason: Reason,
    pub message_key: String,
    /// The number the requirement names (a length, a history depth), when it names one; the
    /// message's `{{n}}`.
    pub count: Option<u32>,
    /// The provider's own words, untrusted plain text, shown after ours.
    pub detail: String,
}

impl ProviderReason {
    fn new(reason: Reason, count: Option<u32>, detail: &str) -> ProviderReason {
        // "Password has been used too recently" names no depth: a text without the number.
        let key = match (reason, count) {
            (Reason::History, None) => "reason.history_recent",
            _ => reason.message_key(),
        };
        ProviderReason {
            reason,
            message_key: key.to_owned(),
            count,
            detail: detail.trim().trim_end_matches('.').trim().to_owned(),
        }
    }
}

/// The reasons in a provider's causes. A cause that lists requirements ("Password requirements:
/// at least 8 characters, a lowercase letter, …") gives one reason per requirement.
pub fn password_reasons(causes: &[String]) -> Vec<ProviderReason> {
    causes.iter().flat_map(|c| from_cause(c)).collect()
}

fn from_cause(cause: &str) -> Vec<ProviderReason> {
    // Okta prefixes the field ("password: Password requirements were not met. …").
    let text = cause.strip_prefix("password:").unwrap_or(cause).trim();
    let mut out = Vec::new();
    for sentence in text.split(". ").map(str::trim).filter(|s| !s.is_empty()) {
        let lower = sentence.to_ascii_lowercase();
        // A list of requirements: "Password requirements: a, b, c" or "Passwords must have a, b".
        let list = ["requirements:", "must have"]
            .iter()
            .find_map(|m| lower.find(m).map(|i| &sentence[i + m.len()..]));
        if let Some(list) = list {
            out.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|item| !item.trim_matches('.').is_empty())
                    .map(requirement),
            );
        } else if !(lower.contains("requirements were not met") || lower.starts_with("please")) {
            // The headline and "Please try another password." add nothing to the reasons.
            out.push(requirement(sentence));
        }
    }
    out
}

/// One requirement or refusal, recognised by its words; the first number it names is the count.
fn requirement(text: &str) -> ProviderReason {
    let lower = text.to_lowercase();
    let has = |w: &str| lower.contains(w);
    let count = lower
        .split(|c: char| !c.is_ascii_digit())
        .find_map(|n| n.parse::<u32>().ok());
    let reason = if has("elapsed") || has("changed too recently") || has("minimum password age") {
        Reason::MinAge
    } else if (has("last") && has("password")) || has("used too recently") {
        Reason::History
    } else if has("common") || has("dictionary") {
        Reason::Common
    } else if has("character") && count.is_some() {
        Reason::MinLength
    } else if has("lowercase") {
        Reason::Lowercase
    } else if has("uppercase") {
        Reason::Uppercase
    } else if has("symbol") {
        Reason::Symbol
    } else if has("number") || has("digit") {
        Reason::Number
    } else if has("username") || has("first name") || has("last name") {
        Reason::NoUsername
    } else {
        Reason::Other
    };
    let count = matches!(reason, Reason::MinLength | Reason::History | Reason::MinAge)
        .then_some(count)
        .flatten();
    ProviderReason::new(reason, count, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(cause: &str) -> Vec<(Reason, Option<u32>, String)> {
        password_reasons(&[cause.to_owned()])
            .into_iter()
            .map(|r| (r.reason, r.count, r.detail))
            .collect()
    }

    #[test]
    fn okta_invalid_password_400_gives_one_reason_per_requirement() {
        // myaccount.json, Error-InvalidPassword-Reponse-400 / Invalid-Password-400.
        let got = reasons("password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 password(s).");
        let kinds: Vec<_> = got.iter().map(|(r, n, _)| (*r, *n)).collect();
        assert_eq!(
            kinds,
            vec![
                (Reason::MinLength, Some(8)),
                (Reason::Lowercase, None),
                (Reason::Uppercase, None),
                (Reason::Number, None),
                (Reason::NoUsername, None),
                (Reason::History, Some(4)),
            ]
        );
        assert_eq!(got[0].2, "at least 8 characters");
        assert_eq!(
            got[5].2,
            "Your password cannot be any of your last 4 password(s)"
        );
    }

    #[test]
    fn history_age_common_and_unknown_causes() {
        // authn-recovery.json, reset_password E0000014 cause: one reason per listed item.
        let listed = reasons("Passwords must have at least 8 characters, a symbol, ...");
        let kinds: Vec<_> = listed.iter().map(|(r, n, _)| (*r, *n)).collect();
        assert_eq!(
            kinds,
            vec![(Reason::MinLength, Some(8)), (Reason::Symbol, None)]
        );
        let common = reasons("This password was found in a list of commonly used passwords. Please try another password.");
        assert_eq!(common.len(), 1, "{common:?}");
        assert_eq!(
            reasons("Password has been used too recently")[0].0,
            Reason::History
        );
        assert_eq!(
            reasons("At least 2 hour(s) must have elapsed since you last changed your password.")
                [0]
            .0,
            Reason::MinAge
        );
        assert_eq!(
            reasons("This password was found in a list of commonly used passwords. Please try another password.")[0].0,
            Reason::Common
        );
        let other = reasons("Le mot de passe est refusé");
        assert_eq!(other[0].0, Reason::Other);
        assert_eq!(other[0].2, "Le mot de passe est refusé");
    }
}
