//! Tokens and identity: in memory only, never printed.

use std::time::{Duration, SystemTime};

use secrecy::SecretString;

/// The longest access-token lifetime believed: a provider's `expires_in` can be any `u64`, and
/// no provider issues access tokens for longer than a day (Entra's maximum is 24 hours).
pub const MAX_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// When a token given at `now` with the provider's `expires_in` expires: capped at
/// [`MAX_ACCESS_TOKEN_LIFETIME`], and `None` rather than a panic when no time can hold it.
pub fn expires_at(now: SystemTime, expires_in: Duration) -> Option<SystemTime> {
    now.checked_add(expires_in.min(MAX_ACCESS_TOKEN_LIFETIME))
}

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
    /// When the user authenticated at the provider (`auth_time`), if it said: a provider that
    /// reused an older session proves presence only as of then (T47).
    pub auth_time: Option<chrono::DateTime<chrono::Utc>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_lifetime_a_provider_sends_gives_a_bounded_expiry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let hour = Duration::from_secs(3600);
        assert_eq!(expires_at(now, hour), Some(now + hour));
        assert_eq!(expires_at(now, Duration::ZERO), Some(now));
        let capped = Some(now + MAX_ACCESS_TOKEN_LIFETIME);
        assert_eq!(expires_at(now, Duration::from_secs(u64::MAX)), capped);
        assert_eq!(expires_at(now, Duration::MAX), capped);
    }
}
