//! What clients fetch to find the Okta-flavoured server: its discovery document and the signing
//! keys (JWKS, served for both flavours).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::scopes::SCOPES;
use crate::shared::AppState;

pub(super) async fn discovery(State(app): State<AppState>) -> Json<Value> {
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

pub(super) async fn jwks(State(app): State<AppState>) -> Json<Value> {
    Json(app.keys.jwks())
}
