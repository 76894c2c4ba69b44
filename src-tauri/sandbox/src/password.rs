//! The tenant's password rules, checked server-side as the vendors do. Passwords are compared
//! exactly as sent: no trimming, no normalisation.

use sha2::{Digest, Sha256};

use crate::seed::PasswordRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    TooShort,
    TooLong,
    NeedsLower,
    NeedsUpper,
    NeedsNumber,
    NeedsSymbol,
    NotAscii,
    ContainsUsername,
    Banned,
    RecentlyUsed,
}

/// A stored password: salted hash, so the sandbox's memory holds no cleartext after the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash([u8; 32]);

impl PasswordHash {
    pub fn of(username: &str, password: &str) -> PasswordHash {
        let mut h = Sha256::new();
        h.update(username.to_lowercase().as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        PasswordHash(h.finalize().into())
    }
}

/// Every rule `password` breaks; empty when it is acceptable.
pub fn check(
    rules: &PasswordRules,
    username: &str,
    password: &str,
    history: &[PasswordHash],
) -> Vec<Rejection> {
    let mut out = Vec::new();
    // Code points, not bytes: an emoji is one character (NIST SP 800-63B).
    let length = password.chars().count();
    if length < rules.min_length {
        out.push(Rejection::TooShort);
    }
    if length > rules.max_length {
        out.push(Rejection::TooLong);
    }
    let count = |f: fn(&char) -> bool| password.chars().filter(f).count();
    if count(char::is_ascii_lowercase) < rules.min_lower {
        out.push(Rejection::NeedsLower);
    }
    if count(char::is_ascii_uppercase) < rules.min_upper {
        out.push(Rejection::NeedsUpper);
    }
    if count(char::is_ascii_digit) < rules.min_number {
        out.push(Rejection::NeedsNumber);
    }
    if count(|c| c.is_ascii_punctuation() || *c == ' ') < rules.min_symbol {
        out.push(Rejection::NeedsSymbol);
    }
    if !rules.allow_unicode && !password.is_ascii() {
        out.push(Rejection::NotAscii);
    }
    let lower = password.to_lowercase();
    if rules.exclude_username && username_parts(username).any(|part| lower.contains(&part)) {
        out.push(Rejection::ContainsUsername);
    }
    if rules
        .banned
        .iter()
        .any(|word| lower.contains(&word.to_lowercase()))
    {
        out.push(Rejection::Banned);
    }
    let hash = PasswordHash::of(username, password);
    if history
        .iter()
        .take(rules.history.max(1))
        .any(|h| *h == hash)
    {
        out.push(Rejection::RecentlyUsed);
    }
    out
}

/// The parts of a username a password may not contain (Okta: "no parts of your username").
fn username_parts(username: &str) -> impl Iterator<Item = String> + '_ {
    let local = username.split('@').next().unwrap_or(username);
    local
        .split(['.', '_', '-', '+'])
        .filter(|p| p.chars().count() >= 3)
        .map(str::to_lowercase)
}

/// Okta's wording of the requirements, as its `errorCauses` carry them.
pub fn okta_requirements(rules: &PasswordRules) -> String {
    let mut parts = vec![format!("at least {} characters", rules.min_length)];
    if rules.min_lower > 0 {
        parts.push("a lowercase letter".into());
    }
    if rules.min_upper > 0 {
        parts.push("an uppercase letter".into());
    }
    if rules.min_number > 0 {
        parts.push("a number".into());
    }
    if rules.min_symbol > 0 {
        parts.push("a symbol".into());
    }
    if rules.exclude_username {
        parts.push("no parts of your username".into());
    }
    let mut text = format!(
        "Password requirements were not met. Password requirements: {}.",
        parts.join(", ")
    );
    if rules.history > 0 {
        text.push_str(&format!(
            " Your password cannot be any of your last {} password(s).",
            rules.history
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    fn rules() -> PasswordRules {
        Seed::demo().passwords
    }

    const USER: &str = "nina.new@contoso.example";

    #[test]
    fn a_good_password_passes_and_unicode_counts_in_code_points() {
        assert!(check(&rules(), USER, "Velvet-Otter-42", &[]).is_empty());
        // 7 code points (one emoji) is too short even though it is 10 bytes.
        assert_eq!(
            check(&rules(), USER, "Ab1defé", &[]),
            vec![Rejection::TooShort]
        );
        assert!(check(&rules(), USER, "Ab1défgh🦦", &[]).is_empty());
    }

    #[test]
    fn each_rule_is_reported() {
        let r = rules();
        assert!(check(&r, USER, "alllower1", &[]).contains(&Rejection::NeedsUpper));
        assert!(check(&r, USER, "ALLUPPER1", &[]).contains(&Rejection::NeedsLower));
        assert!(check(&r, USER, "NoDigitsHere", &[]).contains(&Rejection::NeedsNumber));
        assert!(check(&r, USER, "Nina-2026xyz", &[]).contains(&Rejection::ContainsUsername));
        assert!(check(&r, USER, "MyPassword9", &[]).contains(&Rejection::Banned));
        let long = format!("Aa1{}", "x".repeat(300));
        assert!(check(&r, USER, &long, &[]).contains(&Rejection::TooLong));
        let old = PasswordHash::of(USER, "Velvet-Otter-42");
        assert_eq!(
            check(&r, USER, "Velvet-Otter-42", &[old]),
            vec![Rejection::RecentlyUsed]
        );
    }

    #[test]
    fn entra_style_rules_refuse_unicode_and_demand_symbols() {
        let mut r = rules();
        r.allow_unicode = false;
        r.min_symbol = 1;
        let out = check(&r, USER, "Ab1défghij", &[]);
        assert!(out.contains(&Rejection::NotAscii));
        assert!(out.contains(&Rejection::NeedsSymbol));
    }

    #[test]
    fn requirements_read_like_okta() {
        let text = okta_requirements(&rules());
        assert!(text.starts_with("Password requirements were not met."));
        assert!(text.contains("at least 8 characters"));
        // myaccount.json, Invalid-Password-400: "… any of your last 4 password(s)."
        assert!(text.ends_with("Your password cannot be any of your last 4 password(s)."));
    }
}
