//! OpenID Connect in two flavours, sharing one sign-in page and one grant store:
//! - an Okta custom authorization server (`/oauth2/default`): discovery, keys, the authorization
//!   endpoint, the token endpoint (authorization code with PKCE S256 required, rotating refresh
//!   tokens), userinfo and revocation;
//! - the Microsoft identity platform v2.0 (`/{tenant}/v2.0`, `/{tenant}/oauth2/v2.0/*`): a tenant
//!   id, a verified domain or `organizations` in the path, the `http://localhost` redirect of
//!   public clients (any port), no `iss` in the redirect, AADSTS errors with `error_codes`, and ID
//!   tokens with `tid`, `oid` and `preferred_username`.
//!
//! This file holds the routes, the scopes and Okta's discovery document; each endpoint has its
//! own module, and Microsoft's own shapes are in `entra`.

mod authorize;
mod claims;
mod entra;
pub mod keys;
mod login_page;
mod sign_in;
mod token;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::AppState;

/// Access and ID tokens live an hour, in both flavours.
const ACCESS_TOKEN_SECONDS: i64 = 3600;

/// The scopes this authorization server knows: OpenID's, Okta MyAccount's and, for the Entra
/// flavour, Graph's delegated permissions.
const SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "phone",
    "offline_access",
    "okta.myAccount.read",
    "okta.myAccount.manage",
    "okta.myAccount.phone.read",
    "okta.myAccount.phone.manage",
    "okta.myAccount.email.read",
    "okta.myAccount.email.manage",
    "okta.myAccount.password.manage",
    "User.Read",
    "UserAuthenticationMethod.Read",
    "UserAuthenticationMethod.ReadWrite",
    "Domain.Read.All",
    "Directory.AccessAsUser.All",
    "User-PasswordProfile.ReadWrite.All",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth2/default/.well-known/openid-configuration",
            get(discovery),
        )
        .route("/oauth2/default/v1/keys", get(jwks))
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
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::entra_authorize).post(sign_in::sign_in),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token::entra_token))
}

async fn discovery(State(app): State<AppState>) -> Json<Value> {
    let issuer = app.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/v1/authorize"),
        "token_endpoint": format!("{issuer}/v1/token"),
        "userinfo_endpoint": format!("{issuer}/v1/userinfo"),
        "jwks_uri": format!("{issuer}/v1/keys"),
        "revocation_endpoint": format!("{issuer}/v1/revoke"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": SCOPES,
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": ["iss", "sub", "aud", "iat", "exp", "auth_time", "nonce", "name",
            "given_name", "family_name", "preferred_username", "email", "email_verified"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks(State(app): State<AppState>) -> Json<Value> {
    Json(app.keys.jwks())
}
