//! The user journeys, over whichever provider the configuration names, through the provider
//! seam (`providers::seam`): no journey knows which vendor it talks to.

pub mod onboarding;
pub mod password;
pub mod reset;

/// A one-time code as the user typed it, made comparable: spaces and dashes go, and digits from
/// other scripts (fullwidth `０`, Arabic-Indic `٠`, …) become ASCII (SECURITY.md T37).
pub fn normalise_code(typed: &str) -> String {
    normalise_digits(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// Digits from other scripts become ASCII; everything else stays.
pub fn normalise_digits(typed: &str) -> String {
    typed
        .chars()
        .map(|c| ascii_digit_from_other_scripts(c).unwrap_or(c))
        .collect()
}

/// `char::to_digit` only knows ASCII: map the other decimal digit blocks by their code point.
fn ascii_digit_from_other_scripts(c: char) -> Option<char> {
    const ZEROS: [u32; 4] = [0xFF10, 0x0660, 0x06F0, 0x0966];
    let cp = u32::from(c);
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .and_then(|zero| char::from_digit(cp - zero, 10))
}

#[cfg(test)]
mod tests {
    use super::normalise_code;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code(" 123 456 "), "123456");
        assert_eq!(normalise_code("123-456"), "123456");
        assert_eq!(normalise_code("１２３４５６"), "123456");
        assert_eq!(normalise_code("٣٤٥"), "345");
        assert_eq!(
            normalise_code("Ab12Cd"),
            "Ab12Cd",
            "letters of recovery tokens stay"
        );
    }
}
