//! Random identifiers, tokens and codes, shaped like the vendors' own.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::distributions::{Alphanumeric, Uniform};
use rand::{thread_rng, Rng, RngCore};

/// An opaque bearer secret (tokens, codes of the authorization endpoint, state tokens).
pub fn secret() -> String {
    let mut bytes = [0u8; 32];
    thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An Okta-style object id: a three-letter prefix and 17 alphanumerics (`sms18vtfKgzqDhNqP0g4`).
pub fn okta_id(prefix: &str) -> String {
    let tail: String = thread_rng()
        .sample_iter(&Alphanumeric)
        .take(17)
        .map(char::from)
        .collect();
    format!("{prefix}{tail}")
}

/// A GUID for Graph request ids and user ids.
pub fn guid() -> String {
    let mut b = [0u8; 16];
    thread_rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A verification code of `digits` decimal digits, uniformly drawn.
pub fn digits(digits: u8) -> String {
    let range = Uniform::new_inclusive(b'0', b'9');
    thread_rng()
        .sample_iter(range)
        .take(usize::from(digits))
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(okta_id("sms").len(), 20);
        assert_eq!(guid().len(), 36);
        let code = digits(8);
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(secret(), secret());
    }
}
