//! The one silent refresh a provider API's 401 earns: new tokens from the refresh token in
//! memory, without the browser. If it fails, the user signs in again.

use std::sync::Arc;

use secrecy::SecretString;

use super::http::{HttpClient, Timeouts};
use super::{sign_in_target, AuthError, SignIn, Tokens};
use crate::config::Config;
use crate::locale::Language;
use crate::ports::SystemClock;

pub async fn renew(
    config: &Config,
    language: Language,
    refresh_token: &SecretString,
) -> Result<Tokens, AuthError> {
    let (issuer, settings) = sign_in_target(config, language)?;
    let http = HttpClient::new(Timeouts::default())?;
    let signin = SignIn::discover(&issuer, settings, http, Arc::new(SystemClock)).await?;
    signin.refresh(refresh_token).await
}
