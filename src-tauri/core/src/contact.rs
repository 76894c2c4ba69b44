//! Phone numbers and e-mail addresses as users type them: parsed, checked, and masked for display.
//! Masked forms may be shown; neither form is ever stored (DESIGN.md, privacy).

use phonenumber::{country, Mode};

/// Why a phone number was not accepted, for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    /// Not a number at all, or not for the chosen country.
    Invalid,
    /// An extension cannot receive a code.
    HasExtension,
}

/// Parses `typed` as a number of `region` (ISO 3166 alpha-2; ignored when `typed` starts with
/// `+`) with libphonenumber's rules and returns it in E.164.
pub fn parse_phone(region: &str, typed: &str) -> Result<String, PhoneProblem> {
    let region = region.parse::<country::Id>().ok();
    // Digits from other scripts (fullwidth, Arabic-Indic) are digits all the same.
    let typed = crate::journeys::normalise_digits(typed);
    let number = phonenumber::parse(region, typed.trim()).map_err(|_| PhoneProblem::Invalid)?;
    if number.extension().is_some() {
        return Err(PhoneProblem::HasExtension);
    }
    if !phonenumber::is_valid(&number) {
        return Err(PhoneProblem::Invalid);
    }
    let e164 = number.format().mode(Mode::E164).to_string();
    // libphonenumber accepts some numbers past E.164's 15 digits (long German fixed lines,
    // Japanese ones with letters read as digits); no provider takes those (fuzz/).
    if e164.chars().filter(char::is_ascii_digit).count() > MAX_E164_DIGITS {
        return Err(PhoneProblem::Invalid);
    }
    Ok(e164)
}

/// ITU-T E.164: at most 15 digits, country code included.
const MAX_E164_DIGITS: usize = 15;

/// `+33612345678` → `+33 •• •• •• 78`: the country code and the last two digits.
pub fn mask_phone(e164: &str) -> String {
    let number = phonenumber::parse(None, e164);
    let (code, national) = match &number {
        Ok(n) => (
            n.code().value().to_string(),
            n.national().value().to_string(),
        ),
        Err(_) => (String::new(), e164.trim_start_matches('+').to_owned()),
    };
    let tail: String = national
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let hidden = national.chars().count().saturating_sub(2);
    let dots = vec!["••"; hidden.div_ceil(2)].join(" ");
    format!("+{code} {dots} {tail}").replace("  ", " ")
}

/// `jane.doe@example.net` → `j•••@example.net`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// A lenient check before the provider's own: one `@`, a dotted domain, no spaces, at most 254
/// characters. The confirmation code is the real check.
pub fn plausible_email(address: &str) -> bool {
    let address = address.trim();
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && address.chars().count() <= 254
                && !address.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_parsed_to_e164_for_the_chosen_country() {
        assert_eq!(
            parse_phone("FR", "06 12 34 56 78").as_deref(),
            Ok("+33612345678")
        );
        assert_eq!(
            parse_phone("FR", "+1 (425) 555-0123").as_deref(),
            Ok("+14255550123")
        );
        assert_eq!(
            parse_phone("US", "425-555-0123").as_deref(),
            Ok("+14255550123")
        );
        assert_eq!(
            parse_phone("FR", "0033 6 12 34 56 78").as_deref(),
            Ok("+33612345678")
        );
        assert_eq!(
            parse_phone("FR", "０６ １２ ３４ ５６ ７８").as_deref(),
            Ok("+33612345678")
        );
        assert_eq!(
            parse_phone("GB", "+44 20 7946 0958 ext. 12"),
            Err(PhoneProblem::HasExtension)
        );
        for bad in [
            "",
            "hello",
            "1-800-FLOWERS",
            "06 12",
            "+33 6 12 34 56 78 90 12 34",
            "+999 123456",
        ] {
            assert_eq!(parse_phone("FR", bad), Err(PhoneProblem::Invalid), "{bad}");
        }
    }

    #[test]
    fn numbers_longer_than_e164_allows_are_refused() {
        // Found by fuzz/fuzz_targets/contact.rs: libphonenumber calls these valid, and they
        // came back as 17 and 18 digits.
        assert_eq!(
            parse_phone("DE", "+49519761515955544"),
            Err(PhoneProblem::Invalid)
        );
        assert_eq!(
            parse_phone("JP", "12023w7712023w77"),
            Err(PhoneProblem::Invalid)
        );
    }

    #[test]
    fn masks_keep_little() {
        assert_eq!(mask_phone("+33612345678"), "+33 •• •• •• •• 78");
        assert_eq!(mask_phone("+14255550123"), "+1 •• •• •• •• 23");
        assert_eq!(mask_email("jane.doe@example.net"), "j•••@example.net");
        assert_eq!(mask_email("élodie@exemple.fr"), "é•••@exemple.fr");
    }

    #[test]
    fn emails_are_checked_leniently() {
        assert!(plausible_email("a+tag@example.co.uk"));
        assert!(!plausible_email("no-at-sign"));
        assert!(!plausible_email("a @b.c"));
        assert!(!plausible_email("a@b"));
    }
}
