//! OpenID Connect in two flavours, sharing one sign-in page and one grant store:
//! - an Okta custom authorization server (`/oauth2/default`): discovery, keys, the authorization
//!   endpoint, the token endpoint (authorization code with PKCE S256 required, rotating refresh
//!   tokens), userinfo and revocation;
//! - the Microsoft identity platform v2.0 (`/{tenant}/v2.0`, `/{tenant}/oauth2/v2.0/*`): a tenant
//!   id, a verified domain or `organizations` in the path, the `http://localhost` redirect of
//!   public clients (any port), no `iss` in the redirect, AADSTS errors with `error_codes`, and ID
//!   tokens with `tid`, `oid` and `preferred_username`.
//!
//! This file holds the routes; each endpoint has its own module (Okta's discovery document and
//! the keys in `discovery`), the scopes are in `scopes`, token lifetimes in `lifetimes`, and
//! Microsoft's own shapes are in `entra`.

mod authorize;
mod claims;
mod discovery;
mod entra;
pub mod keys;
mod lifetimes;
mod login_page;
mod redirect;
mod scopes;
mod session;
mod sign_in;
mod token;

use axum::routing::{get, post};
use axum::Router;

use crate::shared::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth2/default/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route("/oauth2/default/v1/keys", get(discovery::jwks))
        .route(
            "/oauth2/default/v1/authorize",
            get(authorize::okta_authorize).post(sign_in::sign_in),
        )
        .route("/oauth2/default/v1/token", post(token::okta_token))
        .route(
            "/oauth2/default/v1/userinfo",
            get(claims::userinfo).post(claims::userinfo),
        )
        .route("/oauth2/default/v1/revoke", post(token::revoke))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(entra::entra_discovery),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::jwks))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::entra_authorize).post(sign_in::sign_in),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token::entra_token))
}
