//! Proof of presence before an account change (T47 in SECURITY.md).
//!
//! A kept refresh token signs the user in silently, so a signed-in session shows only that
//! someone signed in on this laptop once. Adding or removing a recovery method, or changing the
//! password, therefore needs an interactive sign-in of the last few minutes (the configuration's
//! `security.reauth_minutes`): otherwise someone at an unlocked laptop could register their own
//! phone and then reset the owner's password with it.

use chrono::{DateTime, Duration, Utc};

use crate::providers::ProviderError;

/// When the user last proved they are at this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    proven_at: Option<DateTime<Utc>>,
}

impl Presence {
    /// After an interactive sign-in that ended `now`. The provider's `auth_time` says when the
    /// user actually authenticated: a provider that reused an older session (despite `max_age`)
    /// proves only that older moment.
    pub fn interactive(now: DateTime<Utc>, auth_time: Option<DateTime<Utc>>) -> Presence {
        Presence {
            proven_at: Some(auth_time.map_or(now, |t| t.min(now))),
        }
    }

    /// A session from a kept refresh token: it proves nothing about who is at the computer.
    pub fn silent() -> Presence {
        Presence { proven_at: None }
    }

    /// [`Presence::interactive`] as of now.
    pub fn interactive_now(auth_time: Option<DateTime<Utc>>) -> Presence {
        Presence::interactive(Utc::now(), auth_time)
    }

    /// [`Presence::require`] as of now.
    pub fn require_now(&self, minutes: u16) -> Result<(), ProviderError> {
        self.require(minutes, Utc::now())
    }

    /// Whether a change may go ahead at `now`, with presence proven within `minutes`.
    pub fn require(&self, minutes: u16, now: DateTime<Utc>) -> Result<(), ProviderError> {
        let window = Duration::minutes(i64::from(minutes));
        match self.proven_at {
            // A clock set back (proven "in the future") is not trusted either.
            Some(at) if at <= now && now - at <= window => Ok(()),
            _ => Err(ProviderError::FreshSignInRequired),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).expect("time")
    }

    #[test]
    fn an_interactive_sign_in_allows_changes_for_the_window_only() {
        let p = Presence::interactive(at(0), None);
        assert_eq!(p.require(10, at(0)), Ok(()));
        assert_eq!(p.require(10, at(10)), Ok(()));
        assert_eq!(
            p.require(10, at(11)),
            Err(ProviderError::FreshSignInRequired)
        );
    }

    #[test]
    fn a_kept_sign_in_never_does() {
        assert_eq!(
            Presence::silent().require(60, at(0)),
            Err(ProviderError::FreshSignInRequired)
        );
    }

    #[test]
    fn the_providers_auth_time_counts_when_it_is_older() {
        // The provider reused a session from 30 minutes ago: that is the proof, not the redirect.
        let p = Presence::interactive(at(0), Some(at(-30)));
        assert_eq!(
            p.require(10, at(0)),
            Err(ProviderError::FreshSignInRequired)
        );
        // A provider clock ahead of ours does not extend the window.
        let p = Presence::interactive(at(0), Some(at(5)));
        assert_eq!(p.require(10, at(10)), Ok(()));
        assert_eq!(
            p.require(10, at(11)),
            Err(ProviderError::FreshSignInRequired)
        );
    }

    #[test]
    fn a_clock_set_back_is_not_trusted() {
        let p = Presence::interactive(at(0), None);
        assert_eq!(
            p.require(10, at(-1)),
            Err(ProviderError::FreshSignInRequired)
        );
    }
}
