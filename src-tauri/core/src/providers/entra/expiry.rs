//! Password expiry for Entra: from when the password last changed and how long passwords live
//! in the user's domain, counted on the provider's clock.

use chrono::{DateTime, Duration, Utc};

use crate::dto::{ExpiryState, PasswordExpiry};
use crate::providers::graph::{Graph, PasswordAge};
use crate::providers::ProviderError;
use secrecy::SecretString;

/// Entra's `passwordValidityPeriodInDays` for "passwords never expire".
const NEVER: u32 = 2_147_483_647;

/// A last change before this is a placeholder, not a date (.NET's `DateTime.MinValue` is
/// 0001-01-01): Entra did not exist yet.
const EARLIEST_CHANGE: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// When the password expires and whether to remind now. `validity_days` is the domain's
/// period (`None` when it could not be read); `remind_within` is the reminder window in days.
pub fn expiry(
    age: &PasswordAge,
    validity_days: Option<u32>,
    remind_within: u16,
    now: DateTime<Utc>,
) -> PasswordExpiry {
    let unknown = PasswordExpiry {
        state: ExpiryState::Unknown,
        expires_on: None,
        days_left: None,
        remind: false,
    };
    if age.never_expires || validity_days == Some(NEVER) {
        return PasswordExpiry {
            state: ExpiryState::Never,
            ..unknown
        };
    }
    let (Some(changed), Some(days)) = (age.last_changed, validity_days) else {
        return unknown;
    };
    if changed < EARLIEST_CHANGE {
        return unknown;
    }
    // A period that ends past the last date chrono can hold never ends in practice.
    let Some(expires_on) = changed.checked_add_signed(Duration::days(i64::from(days))) else {
        return PasswordExpiry {
            state: ExpiryState::Never,
            ..unknown
        };
    };
    let expires_on = expires_on.date_naive();
    let today = age.as_of.unwrap_or(now).date_naive();
    let days_left = (expires_on - today).num_days();
    PasswordExpiry {
        state: ExpiryState::Expires,
        expires_on: Some(expires_on.format("%Y-%m-%d").to_string()),
        days_left: Some(days_left),
        remind: days_left <= i64::from(remind_within),
    }
}

/// Asks Graph: `/me` for the password's age, then the domain of the user's username for the
/// validity period. A domain Graph will not show this user (403: no `Domain.Read.All`, or a
/// role-gated read; Learn lists roles for `GET /domains/{id}`) or does not know (404) gives
/// "unknown" rather than an error: the reminder is a convenience. What the user can act on
/// (sign in again, wait, the network) is still reported.
pub async fn check(
    graph: &Graph,
    token: &SecretString,
    username: Option<&str>,
    remind_within: u16,
) -> Result<PasswordExpiry, ProviderError> {
    let age = graph.password_age(token).await?;
    if age.never_expires {
        return Ok(expiry(&age, None, remind_within, Utc::now()));
    }
    let domain = username.and_then(|u| u.rsplit_once('@')).map(|(_, d)| d);
    let validity = match domain {
        Some(domain) => match graph.password_validity_days(token, domain).await {
            Ok(days) => days,
            Err(e) if policy_unreadable(&e) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    Ok(expiry(&age, validity, remind_within, Utc::now()))
}

/// Refusals that mean "this user cannot read the domain's policy", not "try again".
fn policy_unreadable(e: &ProviderError) -> bool {
    matches!(
        e,
        ProviderError::PermissionMissing { .. }
            | ProviderError::NotAllowed
            | ProviderError::Refused { .. }
            | ProviderError::Unexpected { status: 404 }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("date")
            .with_timezone(&Utc)
    }

    fn age(changed: &str, as_of: &str) -> PasswordAge {
        PasswordAge {
            last_changed: Some(at(changed)),
            never_expires: false,
            as_of: Some(at(as_of)),
        }
    }

    #[test]
    fn reminds_inside_the_window_on_the_providers_clock() {
        let local = at("2020-01-01T00:00:00Z"); // a wrong local clock is ignored
        let outside = expiry(
            &age("2026-09-01T09:00:00Z", "2026-11-15T12:00:00Z"),
            Some(90),
            14,
            local,
        );
        assert_eq!(outside.expires_on.as_deref(), Some("2026-11-30"));
        assert_eq!((outside.days_left, outside.remind), (Some(15), false));
        let inside = expiry(
            &age("2026-09-01T09:00:00Z", "2026-11-16T00:00:01Z"),
            Some(90),
            14,
            local,
        );
        assert_eq!((inside.days_left, inside.remind), (Some(14), true));
        let past = expiry(
            &age("2026-09-01T09:00:00Z", "2026-12-02T00:00:00Z"),
            Some(90),
            14,
            local,
        );
        assert_eq!((past.days_left, past.remind), (Some(-2), true));
    }

    #[test]
    fn never_expiring_and_unknown_policies_never_remind() {
        let a = age("2026-09-01T09:00:00Z", "2026-11-29T00:00:00Z");
        assert_eq!(
            expiry(&a, Some(NEVER), 14, Utc::now()).state,
            ExpiryState::Never
        );
        let mut exempt = a.clone();
        exempt.never_expires = true;
        assert_eq!(
            expiry(&exempt, Some(90), 14, Utc::now()).state,
            ExpiryState::Never
        );
        let unknown = expiry(&a, None, 14, Utc::now());
        assert_eq!(
            (unknown.state, unknown.remind),
            (ExpiryState::Unknown, false)
        );
    }

    /// Whatever Graph sends: no panic, and nothing that would remind for no reason.
    #[test]
    fn extreme_dates_and_periods_neither_panic_nor_remind_wrongly() {
        let now = at("2026-11-15T12:00:00Z");
        let changed = |s: &str| PasswordAge {
            last_changed: Some(at(s)),
            never_expires: false,
            as_of: Some(now),
        };
        let recent = changed("2026-09-01T09:00:00Z");
        // The largest period Graph can send short of "never", and the largest u32: they end
        // millions of years from now, past chrono's calendar.
        for days in [NEVER - 1, u32::MAX] {
            let e = expiry(&recent, Some(days), 14, now);
            assert_eq!(
                (e.state, e.remind),
                (ExpiryState::Never, false),
                "{days} days"
            );
        }
        let century = expiry(&recent, Some(36_500), 14, now);
        assert_eq!(
            (century.state, century.remind),
            (ExpiryState::Expires, false)
        );
        let end_of_time = changed("9999-12-31T23:59:59Z");
        for days in [0, 90, NEVER - 1, u32::MAX] {
            let e = expiry(&end_of_time, Some(days), 14, now);
            assert!(!e.remind, "changed in 9999, {days} days: {e:?}");
        }
        // DateTime.MinValue: a placeholder, not a password that expired 2,000 years ago.
        let placeholder = expiry(&changed("0001-01-01T00:00:00Z"), Some(90), 14, now);
        assert_eq!(
            (placeholder.state, placeholder.remind),
            (ExpiryState::Unknown, false)
        );
        let at_the_limit = PasswordAge {
            last_changed: Some(DateTime::<Utc>::MAX_UTC),
            never_expires: false,
            as_of: Some(DateTime::<Utc>::MIN_UTC),
        };
        let e = expiry(&at_the_limit, Some(1), 14, now);
        assert_eq!((e.state, e.remind), (ExpiryState::Never, false));
    }
}
