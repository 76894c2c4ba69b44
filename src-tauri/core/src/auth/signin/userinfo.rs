//! The UserInfo endpoint (OIDC Core §5.3): the display claims a provider keeps out of its ID
//! tokens (oidc-provider does by default, `conformIdTokenClaims`), and who signed in when a
//! refresh answers without an ID token (§12.2).

use std::time::Duration;

use openidconnect::core::CoreUserInfoClaims;
use openidconnect::{AccessToken, SubjectIdentifier, UserInfoError};
use secrecy::{ExposeSecret, SecretString};

use super::SignIn;
use crate::auth::http::HttpError;
use crate::auth::{AuthError, Identity};

/// UserInfo only adds to a sign-in: it never holds one up for longer than this.
const USERINFO_BUDGET: Duration = Duration::from_secs(5);

impl SignIn {
    /// `identity` (from a verified ID token) with the claims Latchkey shows and looks up by
    /// filled in from UserInfo when the ID token lacks them. Any failure, or an answer about
    /// another subject (§5.3.2), leaves `identity` as it was: the sign-in stands.
    pub(super) async fn completed(&self, identity: Identity, access: &SecretString) -> Identity {
        let wanted =
            identity.name.is_none() || (identity.username.is_none() && identity.email.is_none());
        if !wanted {
            return identity;
        }
        let subject = SubjectIdentifier::new(identity.subject.clone());
        match self.userinfo(access, Some(subject)).await {
            Ok(found) => Identity {
                name: identity.name.or(found.name),
                email: identity.email.or(found.email),
                username: identity.username.or(found.username),
                ..identity
            },
            Err(_) => identity,
        }
    }

    /// Who UserInfo says the access token is for; `expected` (the ID token's `sub`) must match.
    /// Without `expected` (a refresh answered without an ID token), the access token the token
    /// endpoint just gave us is what vouches for the answer.
    pub(super) async fn userinfo(
        &self,
        access: &SecretString,
        expected: Option<SubjectIdentifier>,
    ) -> Result<Identity, AuthError> {
        let client = self.client();
        let token = AccessToken::new(access.expose_secret().to_owned());
        // No endpoint in discovery: nothing can say who signed in beyond the ID token.
        let request = client
            .user_info(token, expected)
            .map_err(|_| AuthError::InvalidIdToken)?;
        let claims: CoreUserInfoClaims =
            tokio::time::timeout(USERINFO_BUDGET, request.request_async(&self.http))
                .await
                .map_err(|_| AuthError::Http(HttpError::Timeout))?
                .map_err(|e| match e {
                    UserInfoError::Request(e) => AuthError::Http(e),
                    UserInfoError::ClaimsVerification(_) => AuthError::InvalidIdToken,
                    _ => AuthError::BadResponse,
                })?;
        Ok(Identity {
            subject: claims.subject().to_string(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            email: claims.email().map(|e| e.to_string()),
            username: claims.preferred_username().map(|u| u.to_string()),
            // UserInfo does not say when the user authenticated.
            auth_time: None,
        })
    }
}
