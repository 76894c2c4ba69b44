//! The one sign-in set-up of a run: the provider's sign-in settings, with its OpenID discovery
//! document and keys fetched once, on first use, and reused for every sign-in and refresh.

use std::sync::Arc;

use secrecy::SecretString;
use tokio::sync::OnceCell;

use super::http::{HttpClient, Timeouts};
use super::{sign_in_settings, AuthError, Session, SignIn, SignInSettings, SignInTarget, Tokens};
use crate::config::Config;
use crate::locale::Language;
use crate::ports::Clock;

pub struct Authority {
    issuer: String,
    settings: SignInSettings,
    clock: Arc<dyn Clock>,
    /// Filled by the first successful discovery; a failed one is tried again next time.
    discovered: OnceCell<Arc<SignIn>>,
}

impl Authority {
    /// `target` is what the provider says about signing in to it (`None`: nothing to sign in
    /// to with this configuration).
    pub fn new(
        config: &Config,
        target: Option<SignInTarget>,
        language: Language,
        clock: Arc<dyn Clock>,
    ) -> Result<Authority, AuthError> {
        let (issuer, settings) = sign_in_settings(config, target, language)?;
        Ok(Authority {
            issuer,
            settings,
            clock,
            discovered: OnceCell::new(),
        })
    }

    /// The discovered provider, fetched at most once per run.
    pub async fn sign_in(&self) -> Result<Arc<SignIn>, AuthError> {
        self.discovered
            .get_or_try_init(|| async {
                let http = HttpClient::new(Timeouts::default())?;
                let signin = SignIn::discover(
                    &self.issuer,
                    self.settings.clone(),
                    http,
                    self.clock.clone(),
                )
                .await?;
                Ok(Arc::new(signin))
            })
            .await
            .cloned()
    }

    /// New tokens from a refresh token, without the browser (the one silent refresh a 401
    /// earns). `InvalidGrant`: the refresh token is dead and the user must sign in again.
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<Tokens, AuthError> {
        self.sign_in().await?.refresh(refresh_token).await
    }

    /// A whole session (identity too) from a kept refresh token, before any browser. A rotated
    /// refresh token goes to `keep` as soon as the provider gives it (see
    /// [`SignIn::refresh_session`]).
    pub async fn refresh_session(
        &self,
        refresh_token: &SecretString,
        keep: impl FnOnce(&SecretString),
    ) -> Result<Session, AuthError> {
        self.sign_in()
            .await?
            .refresh_session(refresh_token, keep)
            .await
    }
}
