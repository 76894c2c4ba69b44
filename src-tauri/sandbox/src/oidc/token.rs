//! The token endpoint (authorization codes with PKCE, rotating refresh tokens) and revocation,
//! answering errors in the flavour's shape.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::claims::id_claims;
use super::entra::{entra_error, entra_tenant_known, tenant_not_found};
use super::lifetimes::ACCESS_TOKEN_SECONDS;
use crate::http::form;
use crate::random;
use crate::shared::AppState;
use crate::tenant::{AuthorizationCode, Flavour, Grant, RefreshGrant, Tenant};

/// An OAuth error from the token endpoint (RFC 6749 §5.2).
pub(super) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// A token-endpoint refusal in the flavour's shape; `aadsts` is Microsoft's code for it.
fn refuse(
    flavour: Flavour,
    status: StatusCode,
    error: &str,
    aadsts: u32,
    description: &str,
) -> Response {
    match flavour {
        Flavour::Okta => oauth_error(status, error, description),
        Flavour::Entra => entra_error(
            status,
            error,
            aadsts,
            &format!("AADSTS{aadsts}: {description}"),
        ),
    }
}

pub(super) async fn okta_token(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    token(&app, Flavour::Okta, &headers, &body)
}

pub(super) async fn entra_token(
    State(app): State<AppState>,
    axum::extract::Path(segment): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !entra_tenant_known(&app.tenant(), &segment) {
        return tenant_not_found(&segment);
    }
    token(&app, Flavour::Entra, &headers, &body)
}

fn token(app: &AppState, flavour: Flavour, headers: &HeaderMap, body: &Bytes) -> Response {
    let params = match token_params(flavour, headers, body) {
        Ok(p) => p,
        Err(refusal) => return refusal,
    };
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    let mut tenant = app.tenant();
    if get("client_id") != tenant.seed.tenant.client_id {
        return refuse(
            flavour,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            700016,
            "The client_id is not registered with this tenant.",
        );
    }
    match get("grant_type") {
        "authorization_code" => redeem_code(
            app,
            flavour,
            &mut tenant,
            get("code"),
            get("redirect_uri"),
            get("code_verifier"),
        ),
        "refresh_token" => redeem_refresh(app, flavour, &mut tenant, get("refresh_token")),
        "" => refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The grant_type parameter is required.",
        ),
        _ => refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The authorization grant type is not supported by the authorization server.",
        ),
    }
}

/// The request's form parameters; the token endpoint reads nothing else.
fn token_params(
    flavour: Flavour,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<HashMap<String, String>, Response> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request must be application/x-www-form-urlencoded.",
        ));
    }
    form(body).map_err(|e| {
        refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            &e,
        )
    })
}

fn redeem_code(
    app: &AppState,
    flavour: Flavour,
    tenant: &mut Tenant,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Response {
    let Some(issued) = tenant
        .codes
        .get(code)
        .filter(|c| c.flavour == flavour)
        .cloned()
    else {
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70008,
            "The authorization code is invalid or has expired.",
        );
    };
    if is_redeemed(&issued) {
        // Entra names a second redemption (reference-error-codes: AADSTS54005).
        let description = match flavour {
            Flavour::Okta => "The authorization code is invalid or has expired.",
            Flavour::Entra => "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        };
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            54005,
            description,
        );
    }
    // Single use: the code is spent whatever happens next, and kept only to say so.
    if let Some(kept) = tenant.codes.get_mut(code) {
        mark_redeemed(kept);
    }
    if let Err(refusal) = check_code(flavour, tenant, &issued, redirect_uri, verifier) {
        return refusal;
    }
    let grant = Grant {
        flavour,
        user: issued.user,
        scopes: issued.scopes,
        expires_at: tenant.now() + Duration::seconds(ACCESS_TOKEN_SECONDS),
        auth_time: issued.auth_time,
    };
    tokens(
        app,
        tenant,
        grant,
        issued.nonce.as_deref(),
        &issued.client_id,
        random::secret(),
    )
}

/// A redeemed code is kept with an expiry at the start of time: never valid again, but known,
/// so that a second redemption is told apart from a code never issued.
fn mark_redeemed(code: &mut AuthorizationCode) {
    code.expires_at = chrono::DateTime::<chrono::Utc>::MIN_UTC;
}

fn is_redeemed(code: &AuthorizationCode) -> bool {
    code.expires_at == chrono::DateTime::<chrono::Utc>::MIN_UTC
}

/// A code may be redeemed while fresh, by the redirect URI it was sent to, with the verifier of
/// its PKCE challenge. (A test's AADSTS fault is given at the authorization redirect instead,
/// where Entra reports consent and Conditional Access outcomes of the interactive sign-in.)
fn check_code(
    flavour: Flavour,
    tenant: &Tenant,
    issued: &AuthorizationCode,
    redirect_uri: &str,
    verifier: &str,
) -> Result<(), Response> {
    let refuse = |status, error, aadsts, description: &str| {
        Err(refuse(flavour, status, error, aadsts, description))
    };
    if issued.expires_at <= tenant.now() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70008,
            "The authorization code is invalid or has expired.",
        );
    }
    if issued.redirect_uri != redirect_uri {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            50011,
            "The redirect_uri does not match the one used in the authorization request.",
        );
    }
    if verifier.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", 9002313, "PKCE code verifier is required when the token endpoint authentication method is 'NONE'.");
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !bool::from(computed.as_bytes().ct_eq(issued.code_challenge.as_bytes())) {
        // Entra's code for it (reference-error-codes: AADSTS501481).
        let description = match flavour {
            Flavour::Okta => "PKCE verification failed.",
            Flavour::Entra => "The Code_Verifier doesn't match the code_challenge supplied in the authorization request.",
        };
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            501481,
            description,
        );
    }
    Ok(())
}

fn redeem_refresh(app: &AppState, flavour: Flavour, tenant: &mut Tenant, token: &str) -> Response {
    let Some(entry) = tenant
        .refresh
        .get_mut(token)
        .filter(|r| r.grant.flavour == flavour)
    else {
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70000,
            "The refresh token is invalid or expired.",
        );
    };
    // Entra does not revoke a refresh token when it is used: it stays valid for its lifetime
    // (https://learn.microsoft.com/entra/identity-platform/refresh-tokens). Okta rotates.
    if entry.used && flavour == Flavour::Okta {
        // A rotated token came back: it leaked, so the whole family goes (RFC 9700 §4.14.2).
        let family = entry.family.clone();
        tenant.refresh.retain(|_, r| r.family != family);
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70000,
            "The refresh token is invalid or expired.",
        );
    }
    entry.used = true;
    let family = entry.family.clone();
    let mut grant = entry.grant.clone();
    grant.expires_at = tenant.now() + Duration::seconds(ACCESS_TOKEN_SECONDS);
    let client_id = tenant.seed.tenant.client_id.clone();
    tokens(app, tenant, grant, None, &client_id, family)
}

fn tokens(
    app: &AppState,
    tenant: &mut Tenant,
    grant: Grant,
    nonce: Option<&str>,
    client_id: &str,
    family: String,
) -> Response {
    let now = tenant.now();
    let access_token = random::secret();
    let id_token = app
        .keys
        .sign(&id_claims(app, tenant, &grant, nonce, client_id));
    let mut body = json!({
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "access_token": access_token,
        "scope": grant.scopes.join(" "),
        "id_token": id_token,
    });
    if grant.has_scope("offline_access") {
        let refresh_token = random::secret();
        body["refresh_token"] = json!(refresh_token);
        tenant.issued.push(refresh_token.clone());
        tenant.refresh.insert(
            refresh_token,
            RefreshGrant {
                grant: grant.clone(),
                family,
                used: false,
            },
        );
    }
    tenant.issued.push(access_token.clone());
    tenant.issued.push(id_token.clone());
    tenant.access.insert(access_token, grant);
    tenant.access.retain(|_, g| g.expires_at > now);
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

/// RFC 7009: revoking an unknown token is not an error; asking without one is.
pub(super) async fn revoke(State(app): State<AppState>, body: Bytes) -> Response {
    let Ok(params) = form(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is malformed.",
        );
    };
    let token = params.get("token").map(String::as_str).unwrap_or_default();
    // RFC 7009 §2.1: `token` is required; only an unknown one is answered 200.
    if token.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The token parameter is required.",
        );
    }
    let mut tenant = app.tenant();
    if params.get("client_id").map(String::as_str) != Some(tenant.seed.tenant.client_id.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client_id is not registered with this tenant.",
        );
    }
    if let Some(family) = tenant.refresh.get(token).map(|r| r.family.clone()) {
        tenant.refresh.retain(|_, r| r.family != family);
    }
    tenant.access.remove(token);
    StatusCode::OK.into_response()
}
