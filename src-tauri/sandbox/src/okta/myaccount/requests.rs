//! What MyAccount's requests share: the body that carries a verification code, and the default of
//! its `send…` flags.

use serde::Deserialize;

pub(super) fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub(super) struct Verification {
    #[serde(rename = "verificationCode")]
    pub(super) verification_code: String,
}
