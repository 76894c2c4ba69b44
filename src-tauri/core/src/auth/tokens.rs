//! Tokens and identity: in memory only, never printed.

use std::time::SystemTime;

use secrecy::SecretString;

pub struct Tokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    pub expires_at: Option<SystemTime>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Who signed in, from the verified ID token.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub name: Option<String>,
    /// Personal data: shown masked, never logged or stored.
    pub email: Option<String>,
    /// The sign-in name (`preferred_username`; Entra's UPN): its domain finds the password
    /// policy, and the SSPR portal is opened with it.
    pub username: Option<String>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("subject", &self.subject)
            .field("email", &self.email.as_ref().map(|_| "<redacted>"))
            .field("username", &self.username.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Debug)]
pub struct Session {
    pub tokens: Tokens,
    pub identity: Identity,
}
