//! Properties clearer as properties than as fuzz targets (the fuzz targets are in `fuzz/`,
//! docs/fuzzing.md): the PKCE verifier sign-in sends, what a mask may show, how typed codes are
//! normalised, and that the loopback receiver reads back what a provider encodes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use latchkey_core::auth::loopback::{parse_query, state_of};
use latchkey_core::contact::{mask_email, mask_phone, parse_phone};
use latchkey_core::journeys::normalise_code;
use openidconnect::PkceCodeChallenge;
use proptest::prelude::*;
use sha2::{Digest, Sha256};

/// RFC 7636 §4.1: `code_verifier = 43*128unreserved`.
fn is_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// RFC 7636 §4.2: `S256`, `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[test]
fn the_verifier_sign_in_sends_is_43_to_128_unreserved_characters_and_its_challenge_is_s256() {
    // What `SignIn::start_fresh` calls; random, so many draws.
    for _ in 0..512 {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let v = verifier.secret();
        assert!(is_verifier(v), "{} characters", v.len());
        assert_eq!(challenge.method().as_str(), "S256");
        assert_eq!(challenge.as_str(), s256(v));
    }
}

/// Digits in a string, in order.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A number in one of these blocks of other scripts' digits: fullwidth, Arabic-Indic, Extended
/// Arabic-Indic, Devanagari (what `normalise_digits` maps).
const ZEROS: [u32; 5] = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966];

fn typed_digit() -> impl Strategy<Value = (char, char)> {
    (0u32..10, prop::sample::select(&ZEROS[..])).prop_map(|(d, zero)| {
        let typed = char::from_u32(zero + d).unwrap_or('0');
        (typed, char::from_digit(d, 10).unwrap_or('0'))
    })
}

proptest! {
    #[test]
    fn any_verifier_length_openidconnect_allows_is_a_valid_verifier(bytes in 32u32..=96) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256_len(bytes);
        prop_assert!(is_verifier(verifier.secret()));
        prop_assert_eq!(challenge.as_str(), s256(verifier.secret()));
    }

    /// French mobiles (060–062, 064–068, 073–079 and seven digits: libphonenumber's ranges)
    /// are valid: the mask shows `+33` and the last two digits, no other digit.
    #[test]
    fn a_phone_mask_shows_the_country_code_and_the_last_two_digits(
        prefix in prop::sample::select(vec!["060", "061", "062", "064", "065", "066", "067", "068", "073", "075", "079"]),
        rest in "[0-9]{7}",
    ) {
        let e164 = parse_phone("FR", &format!("{prefix}{rest}")).map_err(|e| {
            TestCaseError::fail(format!("{e:?}"))
        })?;
        let mask = mask_phone(&e164);
        prop_assert_eq!(digits(&mask), format!("33{}", &rest[5..]), "{}", mask);
    }

    /// Whatever is typed, in any region: a parsed number's mask shows its country code and
    /// last two digits only, and a mask of anything shows at most a country code and two digits.
    #[test]
    fn a_phone_mask_never_shows_more_than_it_should(
        region in prop::sample::select(vec!["US", "GB", "DE", "FR", "IN", "JP", "BR", "ZZ"]),
        typed in "\\+?[0-9 ()-]{4,18}",
    ) {
        if let Ok(e164) = parse_phone(region, &typed) {
            let mask = mask_phone(&e164);
            let shown = digits(&mask);
            prop_assert!(shown.ends_with(&e164[e164.len() - 2..]), "{}", mask);
            prop_assert!(e164[1..].starts_with(&shown[..shown.len() - 2]), "{}", mask);
            prop_assert!(shown.len() <= 5, "{}", mask);
        }
        prop_assert!(digits(&mask_phone(&typed)).len() <= 5);
    }

    /// An address's mask keeps its first character and domain; nothing else of the local part.
    #[test]
    fn an_email_mask_shows_the_first_character_and_the_domain(
        local in "[^@]{1,40}",
        domain in "[a-z0-9.-]{1,30}",
    ) {
        let mask = mask_email(&format!("{local}@{domain}"));
        let first = local.chars().next().unwrap_or_default();
        prop_assert_eq!(mask, format!("{first}•••@{domain}"));
    }

    #[test]
    fn text_without_an_at_sign_is_masked_whole(typed in "[^@]{0,40}") {
        prop_assert_eq!(mask_email(&typed), "•••");
    }

    /// Digits typed in any script, with spaces and dashes anywhere, give the ASCII digits.
    #[test]
    fn typed_codes_keep_their_digits_and_lose_spaces_and_dashes(
        code in prop::collection::vec((typed_digit(), prop::sample::select(vec!["", " ", "-", "\t", " - ", "\u{3000}"])), 1..12),
    ) {
        let typed: String = code.iter().map(|((t, _), sep)| format!("{t}{sep}")).collect();
        let expected: String = code.iter().map(|((_, ascii), _)| *ascii).collect();
        prop_assert_eq!(normalise_code(&typed), expected);
    }

    #[test]
    fn normalising_a_code_is_idempotent_and_leaves_no_separator(typed in any::<String>()) {
        let once = normalise_code(&typed);
        prop_assert!(!once.chars().any(|c| c.is_whitespace() || c == '-'));
        prop_assert!(once.chars().count() <= typed.chars().count());
        prop_assert_eq!(normalise_code(&once), once.clone());
    }

    /// Recovery tokens (letters and ASCII digits) pass unchanged.
    #[test]
    fn letters_and_ascii_digits_are_kept(token in "[A-Za-z0-9]{0,40}") {
        prop_assert_eq!(normalise_code(&token), token);
    }

    /// What a provider form-encodes onto the redirect, the receiver reads back exactly.
    #[test]
    fn the_callback_query_reads_back_what_was_encoded(
        code in "[^\\p{Cc}]{1,200}",
        state in "[^\\p{Cc}]{1,200}",
        iss in "[^\\p{Cc}]{0,100}",
    ) {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &code)
            .append_pair("state", &state)
            .append_pair("iss", &iss)
            .finish();
        let params = parse_query(&query).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(params.code.as_deref(), Some(code.as_str()));
        prop_assert_eq!(params.state.as_deref(), Some(state.as_str()));
        prop_assert_eq!(params.iss.as_deref(), Some(iss.as_str()));
        prop_assert_eq!(state_of(&query), Some(state));
    }
}
