//! What a launch does before any window: the login-time modes (`--onboarding`,
//! `--remind-expiry`) decide here whether there is anything to show, so that the shell only
//! opens the window or exits, and each decision is tested without a window.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::store::{KeyringStore, TokenKeeper};
use crate::auth::{Authority, Session};
use crate::config::Config;
use crate::journeys::onboarding::{onboarding_needed, Day, Reconfirm, Registration};
use crate::launch::Entry;
use crate::locale::Language;
use crate::net::{check, VERDICT_BUDGET};
use crate::ports::SystemClock;
use crate::providers::{provider_for, Provider};
use crate::record::LocalRecord;

/// The login prompt must not hold up the desktop: this is all the provider gets.
pub const PROVIDER_BUDGET: Duration = Duration::from_secs(3);

/// Open the window on `Entry`, or exit at once with nothing shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Open(Entry),
    Exit,
}

/// What only the provider can tell at login, asked silently. `None` is "could not tell"
/// (no kept token, offline, refused, too slow): never a reason to show an error at login.
pub trait ProviderCheck {
    /// Whether the signed-in user's registration is complete.
    fn registration_complete(&self, config: &Config) -> Option<bool>;
    /// Whether the password expires inside the reminder window.
    fn expiry_due(&self, config: &Config) -> Option<bool>;
}

/// Decides what the launch shows. `config` is the managed configuration as read (an error is
/// always shown, so that someone notices), `record` this computer's record of confirmations.
pub fn decide(
    entry: Entry,
    remind_expiry: bool,
    config: Result<&Config, ()>,
    record: Option<&LocalRecord>,
    today: Day,
    provider: &dyn ProviderCheck,
) -> Decision {
    let due = match (entry, config) {
        (_, Err(())) => !remind_expiry,
        (Entry::Onboarding, Ok(config)) => onboarding_due(config, record, today, provider),
        // A reminder must never be a login-time error: anything short of a clear yes is silence.
        (Entry::Change, Ok(config)) if remind_expiry => provider.expiry_due(config) == Some(true),
        (_, Ok(_)) => true,
    };
    if due {
        Decision::Open(entry)
    } else {
        Decision::Exit
    }
}

/// From the local record, and, when this computer has never recorded a confirmation, from the
/// provider: registered elsewhere (a new laptop) starts the reconfirmation clock here.
fn onboarding_due(
    config: &Config,
    record: Option<&LocalRecord>,
    today: Day,
    provider: &dyn ProviderCheck,
) -> bool {
    if !onboarding_needed(config, record, today) {
        return false;
    }
    let Some(record) = record else {
        return true;
    };
    if record.last_confirmed().is_some() {
        // Reconfirmation is due: only the user can say whether the methods are still right.
        return true;
    }
    if provider.registration_complete(config) == Some(true) {
        let _ = record.confirm(today);
        return false;
    }
    true
}

/// The real check: a silent sign-in with the refresh token IT lets the keyring keep, then one
/// question to the provider, all within [`PROVIDER_BUDGET`].
pub struct SilentCheck {
    keyring_service: &'static str,
}

impl SilentCheck {
    pub fn new(keyring_service: &'static str) -> SilentCheck {
        SilentCheck { keyring_service }
    }

    /// Runs `check` on its own runtime, given up after [`PROVIDER_BUDGET`]; `None` without a
    /// kept refresh token to use, or on time-out.
    fn within_budget<T>(
        &self,
        config: &Config,
        check: impl Future<Output = Option<T>>,
    ) -> Option<T> {
        if !config.app.keep_refresh_token {
            return None;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        runtime
            .block_on(async { tokio::time::timeout(PROVIDER_BUDGET, check).await.ok() })
            .flatten()
    }

    /// A session from the kept refresh token, when the provider answers. A rotated refresh
    /// token is kept at once, as the app does.
    async fn session(&self, config: &Config) -> Option<(Arc<dyn Provider>, Session)> {
        let provider = provider_for(config)?;
        if !check(&provider.reachability_url()?, VERDICT_BUDGET)
            .await
            .is_online()
        {
            return None;
        }
        let keeper = TokenKeeper::new(
            true,
            Box::new(KeyringStore::new(self.keyring_service, "refresh-token")),
        );
        let token = keeper.load().0?;
        let language = Language::for_os(config.app.language);
        let authority =
            Authority::new(config, provider.sign_in(), language, Arc::new(SystemClock)).ok()?;
        // Kept the moment the provider rotates it: the budget may run out, or a later step
        // fail, after the kept token is spent.
        let session = authority
            .refresh_session(&token, |rotated| {
                keeper.keep(Some(rotated));
            })
            .await
            .ok()?;
        Some((provider, session))
    }
}

impl ProviderCheck for SilentCheck {
    fn registration_complete(&self, config: &Config) -> Option<bool> {
        self.within_budget(config, async {
            let (provider, session) = self.session(config).await?;
            let reconfirm = Reconfirm {
                every_days: config.policy.reconfirm_days,
                record: None,
            };
            let registration =
                Registration::new(provider, config.policy.methods_required, reconfirm);
            let view = registration.view(&session.tokens.access_token).await.ok()?;
            Some(view.complete)
        })
    }

    fn expiry_due(&self, config: &Config) -> Option<bool> {
        // Nothing is built before the budget's own check: without a kept token this returns at
        // once, at every login.
        self.within_budget(config, async {
            let (provider, session) = self.session(config).await?;
            if !provider.capabilities().expiry {
                return None;
            }
            let username = session.identity.username.or(session.identity.email);
            let expiry = crate::journeys::password::expiry(
                provider.as_ref(),
                &session.tokens.access_token,
                username.as_deref(),
                config.app.expiry_reminder_days,
            )
            .await
            .ok()?;
            Some(expiry.remind)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::path::Path;

    /// Answers what it is told and counts the questions.
    struct Told {
        registered: Option<bool>,
        expiring: Option<bool>,
        asked: Cell<u32>,
    }

    impl Told {
        fn new(registered: Option<bool>, expiring: Option<bool>) -> Told {
            Told {
                registered,
                expiring,
                asked: Cell::new(0),
            }
        }
    }

    impl ProviderCheck for Told {
        fn registration_complete(&self, _: &Config) -> Option<bool> {
            self.asked.set(self.asked.get() + 1);
            self.registered
        }
        fn expiry_due(&self, _: &Config) -> Option<bool> {
            self.asked.set(self.asked.get() + 1);
            self.expiring
        }
    }

    fn config(enabled_for: &str) -> Config {
        let raw = format!("[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\n[policy]\nenabled_for = \"{enabled_for}\"\nmethods_allowed = [\"email\", \"mobile_phone\"]\nmethods_required = 1\nregistration_required = true\nnotify_on_reset = true\nreconfirm_days = 180\n");
        Config::parse(&raw, Path::new("t.toml")).expect("valid")
    }

    fn day(s: &str) -> Day {
        Day::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn onboarding_at_login_opens_only_when_something_is_due() {
        let dir = tempfile::tempdir().expect("dir");
        let record = LocalRecord::at(dir.path());
        let c = config("all");
        let unknown = Told::new(None, None);
        let today = day("2026-11-25");
        let open = Decision::Open(Entry::Onboarding);
        let decide_now = |r: Option<&LocalRecord>, p: &Told| {
            decide(Entry::Onboarding, false, Ok(&c), r, today, p)
        };
        assert_eq!(
            decide_now(Some(&record), &unknown),
            open,
            "never confirmed, provider silent"
        );
        assert_eq!(decide_now(None, &unknown), open, "no record at all");
        assert_eq!(
            decide_now(Some(&record), &Told::new(Some(false), None)),
            open
        );
        record.confirm(day("2026-10-01")).expect("write");
        let told = Told::new(Some(false), None);
        assert_eq!(decide_now(Some(&record), &told), Decision::Exit);
        assert_eq!(
            told.asked.get(),
            0,
            "a recent confirmation needs no network"
        );
        let later = decide(
            Entry::Onboarding,
            false,
            Ok(&c),
            Some(&record),
            day("2027-04-01"),
            &told,
        );
        assert_eq!(later, open, "reconfirmation due");
        assert_eq!(told.asked.get(), 0, "only the user can reconfirm");
    }

    #[test]
    fn a_new_laptop_of_a_registered_user_opens_nothing_and_starts_the_clock() {
        let dir = tempfile::tempdir().expect("dir");
        let record = LocalRecord::at(dir.path());
        let registered = Told::new(Some(true), None);
        let today = day("2026-11-25");
        let c = config("all");
        assert_eq!(
            decide(
                Entry::Onboarding,
                false,
                Ok(&c),
                Some(&record),
                today,
                &registered
            ),
            Decision::Exit
        );
        assert_eq!(record.last_confirmed(), Some(today));
    }

    #[test]
    fn sspr_off_and_broken_configurations() {
        let unknown = Told::new(None, None);
        let today = day("2026-11-25");
        let off = config("none");
        assert_eq!(
            decide(Entry::Onboarding, false, Ok(&off), None, today, &unknown),
            Decision::Exit
        );
        assert_eq!(
            decide(Entry::Onboarding, false, Err(()), None, today, &unknown),
            Decision::Open(Entry::Onboarding),
            "a broken configuration is shown so that someone notices"
        );
        assert_eq!(
            decide(Entry::Change, true, Err(()), None, today, &unknown),
            Decision::Exit,
            "a reminder is never a login-time error"
        );
    }

    #[test]
    fn the_expiry_reminder_opens_only_on_a_clear_yes() {
        let c = config("all");
        let today = day("2026-11-25");
        let remind = |expiring| {
            decide(
                Entry::Change,
                true,
                Ok(&c),
                None,
                today,
                &Told::new(None, expiring),
            )
        };
        assert_eq!(remind(Some(true)), Decision::Open(Entry::Change));
        assert_eq!(remind(Some(false)), Decision::Exit);
        assert_eq!(remind(None), Decision::Exit);
    }

    #[test]
    fn forgot_password_links_and_home_always_open() {
        let c = config("none");
        let today = day("2026-11-25");
        let silent = Told::new(None, None);
        for entry in [Entry::Reset, Entry::Home, Entry::Change] {
            assert_eq!(
                decide(entry, false, Ok(&c), None, today, &silent),
                Decision::Open(entry)
            );
        }
        assert_eq!(
            silent.asked.get(),
            0,
            "no network before the window for these"
        );
    }

    #[test]
    fn without_a_kept_token_the_silent_check_never_asks() {
        let c = config("all");
        assert!(!c.app.keep_refresh_token);
        let check = SilentCheck::new("org.latchkey.desktop.test");
        assert_eq!(check.registration_complete(&c), None);
        assert_eq!(check.expiry_due(&c), None);
    }
}
