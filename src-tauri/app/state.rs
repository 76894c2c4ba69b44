//! The app's one piece of state, built once at start.

use std::sync::{Arc, Mutex};

use latchkey_core::auth::store::{KeyringStore, TokenKeeper};
use latchkey_core::auth::{AuthError, Authority, Session};
use latchkey_core::config::{Config, ConfigError};
use latchkey_core::dto::{Bootstrap, SignInStatus, SignedIn};
use latchkey_core::journeys::onboarding::Registration;
use latchkey_core::journeys::reset::ResetFlow;
use latchkey_core::locale::{Language, LanguageSetting};
use latchkey_core::net::{check, Reachability, VERDICT_BUDGET};
use latchkey_core::ports::SystemClock;
use latchkey_core::presence::Presence;
use latchkey_core::providers::{provider_for, Provider, ProviderError};
use latchkey_core::CoreError;
use secrecy::SecretString;
use tokio::sync::oneshot;

use crate::demo;
use crate::identity::KEYRING_SERVICE;
use crate::startup::Loaded;

pub struct AppState {
    config: Result<Config, ConfigError>,
    bootstrap: Bootstrap,
    /// The configured directory, built once; `None` when the configuration names none.
    provider: Option<Arc<dyn Provider>>,
    /// The one sign-in set-up: discovery and keys fetched once per run.
    authority: Result<Authority, AuthError>,
    keeper: TokenKeeper,
    waiting: Mutex<Waiting>,
    /// Tokens live here, in memory, and nowhere else.
    session: Mutex<Option<Session>>,
    /// When the signed-in user last proved they are at this computer (T47).
    presence: Mutex<Presence>,
    /// The signed-in user's registration in progress (onboarding).
    registration: tokio::sync::Mutex<Option<Registration>>,
    /// The password reset in progress, if any; its state token lives only here.
    reset: tokio::sync::Mutex<Option<ResetFlow>>,
    /// A reachability check started with the process when it opens on "Forgot password", so
    /// the first screen does not wait for it.
    early_verdict: Mutex<Option<tauri::async_runtime::JoinHandle<Reachability>>>,
    /// The embedded sandbox tenant in demo mode; it stops when the app does.
    _demo_tenant: Option<demo::Tenant>,
}

#[derive(Default)]
struct Waiting {
    authorize_url: Option<String>,
    browser_opened: bool,
    cancel: Option<oneshot::Sender<()>>,
}

impl AppState {
    /// The state for a window opening on `entry`, from the configuration as read.
    pub fn load(loaded: Loaded, entry: latchkey_core::launch::Entry) -> AppState {
        let (path, (mut config, mut salvaged)) = loaded;
        demo::refuse_without_sandbox(&path, &mut config, &mut salvaged);
        let (tenant, demo_info) = demo::start_if_wanted(&mut config).unzip();
        let setting = config
            .as_ref()
            .map(|c| c.app.language)
            .unwrap_or(LanguageSetting::Auto);
        let language = Language::for_os(setting);
        let provider = config.as_ref().ok().and_then(provider_for);
        let capabilities = provider.as_ref().map(|p| p.capabilities());
        let mut bootstrap = Bootstrap::new(&path, &config, salvaged, language, capabilities);
        bootstrap.demo = demo_info;
        bootstrap.entry = entry;
        bootstrap.reset_page = provider
            .as_deref()
            .and_then(latchkey_core::help::reset_page);
        let authority = match &config {
            Ok(c) => Authority::new(
                c,
                provider.as_ref().and_then(|p| p.sign_in()),
                language,
                Arc::new(SystemClock),
            ),
            Err(_) => Err(AuthError::NotAvailable),
        };
        let keep = config.as_ref().is_ok_and(|c| c.app.keep_refresh_token);
        let keeper = TokenKeeper::new(
            keep,
            Box::new(KeyringStore::new(KEYRING_SERVICE, "refresh-token")),
        );
        AppState {
            config,
            bootstrap,
            provider,
            authority,
            keeper,
            waiting: Mutex::new(Waiting::default()),
            session: Mutex::new(None),
            presence: Mutex::new(Presence::silent()),
            reset: tokio::sync::Mutex::new(None),
            registration: tokio::sync::Mutex::new(None),
            early_verdict: Mutex::new(None),
            _demo_tenant: tenant,
        }
    }

    pub fn bootstrap(&self) -> &Bootstrap {
        &self.bootstrap
    }

    pub fn config(&self) -> Result<&Config, &ConfigError> {
        self.config.as_ref()
    }

    /// The configured provider; `NotAvailable` when the configuration names none.
    pub fn provider(&self) -> Result<Arc<dyn Provider>, AuthError> {
        self.provider.clone().ok_or(AuthError::NotAvailable)
    }

    /// The sign-in set-up, shared by every sign-in and refresh of this run.
    pub fn authority(&self) -> Result<&Authority, AuthError> {
        self.authority.as_ref().map_err(Clone::clone)
    }

    pub fn reset(&self) -> &tokio::sync::Mutex<Option<ResetFlow>> {
        &self.reset
    }

    pub fn registration(&self) -> &tokio::sync::Mutex<Option<Registration>> {
        &self.registration
    }

    /// The provider's address to probe, when the configuration has one.
    pub fn probe_url(&self) -> Option<url::Url> {
        self.provider.as_ref().and_then(|p| p.reachability_url())
    }

    /// Starts the reachability check now, for the first `connectivity` call to pick up.
    pub fn check_early(&self) {
        if let Some(url) = self.probe_url() {
            let task =
                tauri::async_runtime::spawn(async move { check(&url, VERDICT_BUDGET).await });
            *lock(&self.early_verdict) = Some(task);
        }
    }

    /// The early check's verdict, once; `None` when there was none (or it failed).
    pub async fn take_early_verdict(&self) -> Option<Reachability> {
        let task = lock(&self.early_verdict).take()?;
        task.await.ok()
    }

    pub fn config_error(&self) -> Option<&ConfigError> {
        self.config.as_ref().err()
    }

    /// Records a sign-in waiting for the browser; the receiver fires on cancel. Starting a new
    /// sign-in drops the previous sender, which cancels the previous one.
    pub fn sign_in_waiting(&self, url: &str, browser_opened: bool) -> oneshot::Receiver<()> {
        let (sender, receiver) = oneshot::channel();
        let mut waiting = lock(&self.waiting);
        *waiting = Waiting {
            authorize_url: Some(url.to_owned()),
            browser_opened,
            cancel: Some(sender),
        };
        receiver
    }

    pub fn sign_in_ended(&self) {
        *lock(&self.waiting) = Waiting::default();
    }

    pub fn cancel_sign_in(&self) {
        if let Some(cancel) = lock(&self.waiting).cancel.take() {
            let _ = cancel.send(());
        }
    }

    pub fn sign_in_status(&self) -> SignInStatus {
        let waiting = lock(&self.waiting);
        SignInStatus {
            authorize_url: waiting.authorize_url.clone(),
            browser_opened: waiting.browser_opened,
        }
    }

    /// The refresh token kept from an earlier run (where allowed), and whether the keyring
    /// turned out to be unavailable.
    pub fn kept_refresh_token(&self) -> (Option<SecretString>, bool) {
        let (token, notice) = self.keeper.load();
        (token, notice.is_some())
    }

    pub fn forget_refresh_token(&self) {
        let _ = self.keeper.forget();
    }

    /// Keeps a refresh token the provider just rotated, before the sign-in goes on: the kept
    /// one is spent. `true` when the keyring is unavailable (this session only).
    pub fn keep_rotated_refresh_token(&self, token: &SecretString) -> bool {
        self.keeper.keep(Some(token)).is_some()
    }

    /// Keeps the session in memory (and the refresh token where allowed) and says what the UI
    /// may show of it. `keyring_unavailable` carries a notice from an earlier keyring call.
    pub fn signed_in(
        &self,
        session: Session,
        presence: Presence,
        keyring_unavailable: bool,
    ) -> SignedIn {
        let notice = self.keeper.keep(session.tokens.refresh_token.as_ref());
        let display_name = session
            .identity
            .name
            .clone()
            .unwrap_or_else(|| session.identity.subject.clone());
        *lock(&self.session) = Some(session);
        *lock(&self.presence) = presence;
        // A registration started under an earlier sign-in carries its old token.
        if let Ok(mut registration) = self.registration.try_lock() {
            registration.take();
        }
        SignedIn {
            display_name,
            session_only: keyring_unavailable || notice.is_some(),
        }
    }
}

impl AppState {
    /// The signed-in user's access token, for calls on their behalf.
    pub fn access_token(&self) -> Option<SecretString> {
        lock(&self.session)
            .as_ref()
            .map(|s| s.tokens.access_token.clone())
    }

    /// The signed-in user's sign-in name (Entra's UPN), for the password policy and the portal.
    pub fn username(&self) -> Option<String> {
        lock(&self.session).as_ref().and_then(|s| {
            s.identity
                .username
                .clone()
                .or_else(|| s.identity.email.clone())
        })
    }

    /// The one silent refresh after a provider API said 401: new tokens from the refresh token
    /// in memory. `SignInRequired` when there is none or the provider refuses it.
    pub async fn renew_access_token(&self) -> Result<SecretString, CoreError> {
        let refresh = lock(&self.session)
            .as_ref()
            .and_then(|s| s.tokens.refresh_token.clone())
            .ok_or(ProviderError::SignInRequired)?;
        let authority = self
            .authority()
            .map_err(|_| ProviderError::SignInRequired)?;
        let mut tokens = authority
            .refresh(&refresh)
            .await
            .map_err(|_| ProviderError::SignInRequired)?;
        let access = tokens.access_token.clone();
        match &tokens.refresh_token {
            // Rotated: keep the new one where allowed.
            Some(rotated) => {
                let _ = self.keeper.keep(Some(rotated));
            }
            // Not rotated: RFC 6749 §6 says the old one stays valid.
            None => tokens.refresh_token = Some(refresh),
        }
        if let Some(session) = lock(&self.session).as_mut() {
            session.tokens = tokens;
        }
        Ok(access)
    }

    fn reauth_minutes(&self) -> u16 {
        self.config
            .as_ref()
            .map_or(10, |c| c.security.reauth_minutes)
    }

    /// How recent the provider's authentication of the user must be (`max_age`): the window
    /// in which an account change is allowed after signing in.
    pub fn reauth_window(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.reauth_minutes()) * 60)
    }

    /// Refuses an account change unless the user signed in interactively within the
    /// configuration's `security.reauth_minutes` (T47).
    pub fn require_presence(&self) -> Result<(), ProviderError> {
        let minutes = self.reauth_minutes();
        // Not signed in at all: that, not presence, is what the user must fix.
        if lock(&self.session).is_none() {
            return Err(ProviderError::SignInRequired);
        }
        lock(&self.presence).require_now(minutes)
    }

    pub fn sign_out(&self) {
        lock(&self.session).take();
        *lock(&self.presence) = Presence::silent();
        if let Ok(mut registration) = self.registration.try_lock() {
            registration.take();
        }
        // Nothing to tell: if the keyring is unavailable there was nothing kept in it either.
        let _ = self.keeper.forget();
    }
}

/// A poisoned lock only means another command panicked mid-update; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
