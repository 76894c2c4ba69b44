//! Before the window: which configuration to use, and whether the login-time prompt has
//! anything to ask at all.

use std::path::PathBuf;

use latchkey_core::config::{Config, ConfigError, Helpdesk};
use latchkey_core::journeys::onboarding::{onboarding_needed as needed, today};
use latchkey_core::launch::LaunchOptions;
use latchkey_core::record::LocalRecord;

/// The managed configuration as read, with the helpdesk salvaged from an invalid file.
pub type Loaded = (Result<Config, ConfigError>, Option<Helpdesk>);

/// The managed configuration: the file `--config` names, or the built-in demo one for `--demo`.
pub fn read_config(options: &LaunchOptions) -> (PathBuf, Loaded) {
    #[cfg(feature = "demo")]
    if options.demo {
        let path = PathBuf::from(crate::demo::embedded::CONFIG_NAME);
        let config = Config::parse(crate::demo::embedded::CONFIG, &path);
        return (path, (config, None));
    }
    let path = options.config.clone();
    let loaded = Config::load_or_salvage(&path);
    (path, loaded)
}

/// Whether `--onboarding` has anything to ask: from the local record, and, when this computer
/// has never recorded a confirmation, from the provider if a kept refresh token allows a silent
/// sign-in and the network answers within the budget.
pub fn onboarding_needed(options: &LaunchOptions) -> bool {
    let (_, (config, _)) = read_config(options);
    // A broken configuration is shown, so that someone notices.
    let Ok(config) = config else {
        return true;
    };
    let record = LocalRecord::default_location();
    if !needed(&config, record.as_ref(), today()) {
        return false;
    }
    let Some(record) = record else {
        return true;
    };
    if record.last_confirmed().is_some() {
        // Reconfirmation is due: only the user can say whether the methods are still right.
        return true;
    }
    if provider_says_registered(&config) {
        // Registered elsewhere (a new laptop): start the reconfirmation clock here.
        let _ = record.confirm(today());
        return false;
    }
    true
}

/// Asks the provider, silently and within [`PROVIDER_BUDGET`], whether the registration is
/// complete. Anything short of a clear yes (no kept token, offline, refused) is "ask the user".
fn provider_says_registered(config: &Config) -> bool {
    within_budget(config, registration_complete(config)).unwrap_or(false)
}

/// Whether `--remind-expiry` has anything to say: an Entra password inside the reminder
/// window, found with a kept refresh token within [`PROVIDER_BUDGET`]. Anything short of a
/// clear yes (no configuration, no kept token, offline, no expiry known) shows nothing: a
/// reminder must never be a login-time error.
pub fn expiry_reminder_due(options: &LaunchOptions) -> bool {
    let (_, (config, _)) = read_config(options);
    let Ok(config) = config else {
        return false;
    };
    if config.provider.kind != latchkey_core::config::ProviderKind::Entra {
        return false;
    }
    within_budget(&config, expiry_due(&config)).unwrap_or(false)
}

/// Runs `check` on its own runtime, given up after [`PROVIDER_BUDGET`]; `None` when there is no
/// kept refresh token to use, or on time-out.
fn within_budget<T>(
    config: &Config,
    check: impl std::future::Future<Output = Option<T>>,
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

/// The login prompt must not hold up the desktop: this is all the provider gets.
const PROVIDER_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);

/// A session from the kept refresh token, when the provider answers. The provider rotates the
/// refresh token: the new one is kept, as the app would.
async fn silent_session(config: &Config) -> Option<latchkey_core::auth::Session> {
    use latchkey_core::auth::http::{HttpClient, Timeouts};
    use latchkey_core::auth::store::{KeyringStore, TokenKeeper};
    use latchkey_core::auth::{sign_in_target, SignIn};
    use latchkey_core::net::{check, provider_url, VERDICT_BUDGET};
    use latchkey_core::ports::SystemClock;

    let url = provider_url(config)?;
    if !check(&url, VERDICT_BUDGET).await.is_online() {
        return None;
    }
    let keeper = TokenKeeper::new(
        true,
        Box::new(KeyringStore::new(
            crate::state::KEYRING_SERVICE,
            "refresh-token",
        )),
    );
    let (token, _) = keeper.load();
    let token = token?;
    let language = latchkey_core::locale::Language::for_os(config.app.language);
    let (issuer, settings) = sign_in_target(config, language).ok()?;
    let http = HttpClient::new(Timeouts::default()).ok()?;
    let signin = SignIn::discover(&issuer, settings, http, std::sync::Arc::new(SystemClock))
        .await
        .ok()?;
    let session = signin.refresh_session(&token).await.ok()?;
    keeper.keep(session.tokens.refresh_token.as_ref());
    Some(session)
}

async fn registration_complete(config: &Config) -> Option<bool> {
    use latchkey_core::journeys::onboarding::{Reconfirm, Registration};

    let session = silent_session(config).await?;
    let directory = latchkey_core::providers::directory_for(config).ok()?;
    let reconfirm = Reconfirm {
        every_days: config.policy.reconfirm_days,
        record: None,
    };
    let registration = Registration::new(
        directory,
        session.tokens.access_token.clone(),
        config.policy.methods_required,
        reconfirm,
    );
    Some(registration.view().await.ok()?.complete)
}

async fn expiry_due(config: &Config) -> Option<bool> {
    let session = silent_session(config).await?;
    let graph = latchkey_core::providers::graph_for(config).ok()?;
    let username = session
        .identity
        .username
        .clone()
        .or_else(|| session.identity.email.clone());
    let expiry = latchkey_core::journeys::expiry::check(
        &graph,
        &session.tokens.access_token,
        username.as_deref(),
        config.app.expiry_reminder_days,
    )
    .await
    .ok()?;
    Some(expiry.remind)
}
