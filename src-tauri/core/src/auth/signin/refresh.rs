//! Refreshing (RFC 6749 §6, OIDC Core §12): new tokens from a refresh token, and a whole
//! session from a kept one.

use openidconnect::core::CoreTokenResponse;
use openidconnect::{OAuth2TokenResponse, RefreshToken, TokenResponse};
use secrecy::{ExposeSecret, SecretString};

use super::{token_error, SignIn};
use crate::auth::{AuthError, Session, Tokens};

impl SignIn {
    /// Exchanges a refresh token for new tokens. `InvalidGrant` means the caller must forget
    /// the stored refresh token and sign in again. The tokens always carry the refresh token to
    /// use next: the rotated one, or `refresh_token` itself when the provider kept it (§6).
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<Tokens, AuthError> {
        let response = self.redeem_refresh_token(refresh_token).await?;
        Ok(self.refreshed_tokens(&response, refresh_token))
    }

    /// Signs in again silently with a kept refresh token, before any browser is opened.
    /// `InvalidGrant` means the kept token is dead: forget it and use the browser.
    ///
    /// The kept token is spent once the provider answers, so a rotated one goes to `keep` at
    /// once, before anything that can still fail or be given up (the ID token's checks, a key
    /// fetch, UserInfo). Without an ID token in the answer (§12.2 allows that), UserInfo says
    /// who signed in.
    pub async fn refresh_session(
        &self,
        refresh_token: &SecretString,
        keep: impl FnOnce(&SecretString),
    ) -> Result<Session, AuthError> {
        let response = self.redeem_refresh_token(refresh_token).await?;
        let tokens = self.refreshed_tokens(&response, refresh_token);
        if let Some(rotated) = &tokens.refresh_token {
            if rotated.expose_secret() != refresh_token.expose_secret() {
                keep(rotated);
            }
        }
        let identity = match response.id_token() {
            Some(_) => {
                let verified = self.identity(&response, None).await?;
                self.completed(verified, &tokens.access_token).await
            }
            None => self.userinfo(&tokens.access_token, None).await?,
        };
        Ok(Session { identity, tokens })
    }

    async fn redeem_refresh_token(
        &self,
        refresh_token: &SecretString,
    ) -> Result<CoreTokenResponse, AuthError> {
        let token = RefreshToken::new(refresh_token.expose_secret().to_owned());
        self.client()
            .exchange_refresh_token(&token)
            .map_err(|_| AuthError::Misconfigured)?
            .request_async(&self.http)
            .await
            .map_err(token_error)
    }

    fn refreshed_tokens(&self, response: &CoreTokenResponse, used: &SecretString) -> Tokens {
        let mut tokens = self.tokens_from(response);
        if response.refresh_token().is_none() {
            tokens.refresh_token = Some(used.clone());
        }
        tokens
    }
}
