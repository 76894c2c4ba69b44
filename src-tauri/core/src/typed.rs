//! What the user typed that must stay secret — a password, a code, an answer — as it crosses
//! from the UI into the Tauri layer (T48 in SECURITY.md).
//!
//! Deserialized straight into a `SecretString`, the value never exists as a plain `String`
//! that a command could keep, log or print: it is redacted in `Debug` and zeroized when
//! dropped, at the end of the command. (The IPC's own JSON buffer is beyond our reach.)

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

/// A secret the user typed, as a command receives it.
pub struct Typed(SecretString);

impl Typed {
    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Typed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde_json allocates the string at its exact length, so moving it into the boxed
        // secret copies nothing that would be left behind unzeroized.
        String::deserialize(deserializer).map(|s| Typed(SecretString::from(s)))
    }
}

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Typed(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn a_typed_secret_is_kept_exactly_and_never_printed() {
        let typed: Typed = serde_json::from_str(r#""Ünïcode-Otter-42 \" ""#).expect("a string");
        assert_eq!(typed.secret().expose_secret(), "Ünïcode-Otter-42 \" ");
        assert_eq!(format!("{typed:?}"), "Typed(<redacted>)");
        assert!(
            serde_json::from_str::<Typed>("42").is_err(),
            "only a string"
        );
    }
}
