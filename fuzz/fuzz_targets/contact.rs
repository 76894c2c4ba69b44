//! Phone numbers and e-mail addresses as typed, and their masks. Properties: no panic; a mask
//! shows no more than it should (a phone's country code and last two digits, an address's
//! first character and domain); a parsed phone is E.164 and its mask ends in its last two
//! digits.
#![no_main]

use latchkey_core::contact::{mask_email, mask_phone, parse_phone, plausible_email};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const REGIONS: &[&str] = &["FR", "US", "GB", "DE", "IN", "JP", "BR", "ZZ", "", "fr"];

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let region = *u.choose(REGIONS)?;
    let typed: String = u.arbitrary()?;
    if let Ok(e164) = parse_phone(region, &typed) {
        assert!(e164.starts_with('+') && e164[1..].chars().all(|c| c.is_ascii_digit()));
        // E.164: at most 15 digits (libphonenumber alone would let 17 and 18 through).
        assert!((3..=16).contains(&e164.len()), "{e164}");
        let mask = mask_phone(&e164);
        assert!(mask.ends_with(&e164[e164.len() - 2..]), "{mask} for {e164}");
    }
    let mask = mask_phone(&typed);
    // Shown: `+`, the country code (at most 3 digits), the dots and the last two characters.
    let shown_digits = mask.chars().filter(char::is_ascii_digit).count();
    assert!(shown_digits <= 5, "{mask:?} from {typed:?}");
    let email = mask_email(&typed);
    match typed.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            assert_eq!(email, format!("{first}•••@{domain}"));
        }
        None => assert_eq!(email, "•••"),
    }
    let _ = plausible_email(&typed);
    Ok(())
}
