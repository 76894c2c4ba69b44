//! Entra's documented password rules, checked before `/me/changePassword` so that what Graph
//! would refuse is explained first.

use crate::dto::PasswordHints;

/// Entra's cloud password policy: 8 to 256 characters, 3 of the 4 classes, printable ASCII
/// only (Microsoft's password policy documentation); the banned list only Entra can check.
pub fn entra_hints() -> PasswordHints {
    PasswordHints {
        min_length: 8,
        needs_lower: false,
        needs_upper: false,
        needs_number: false,
        needs_symbol: false,
        username_parts: Vec::new(),
        // Entra refuses recent passwords too, but says nothing of how many.
        history: 0,
        max_length: 256,
        min_classes: 3,
        ascii_only: true,
    }
}

/// Whether `password` meets Entra's rules (code points counted, nothing normalised).
pub fn meets_entra_rules(password: &str) -> bool {
    let length = password.chars().count();
    // Printable ASCII, space included.
    let ascii = password.chars().all(|c| (' '..='~').contains(&c));
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&present| present)
    .count();
    (8..=256).contains(&length) && ascii && classes >= 3
}

#[cfg(test)]
mod tests {
    use super::meets_entra_rules;

    #[test]
    fn entra_rules_count_code_points_and_refuse_unicode() {
        assert!(meets_entra_rules("Velvet-Otter-2026!"));
        assert!(meets_entra_rules("abcDEF12"), "8 characters, three classes");
        assert!(!meets_entra_rules("abcDE12"), "7 characters");
        assert!(!meets_entra_rules("abcdefgh1234"), "two classes");
        assert!(!meets_entra_rules("Vélvet-Otter-2026"), "an accent");
        assert!(!meets_entra_rules("Velvet-Otter-2026🦦"), "an emoji");
        assert!(
            !meets_entra_rules("Velvet\u{0}Otter-2026"),
            "a control character"
        );
        assert!(meets_entra_rules(&format!("Aa1{}", "x".repeat(253))), "256");
        assert!(
            !meets_entra_rules(&format!("Aa1{}", "x".repeat(254))),
            "257"
        );
    }
}
