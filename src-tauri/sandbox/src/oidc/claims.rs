//! What a grant says about its user: the ID token's claims and the userinfo endpoint, which
//! share the profile claims the scopes allow.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::lifetimes::ACCESS_TOKEN_SECONDS;
use crate::http::bearer;
use crate::random;
use crate::shared::AppState;
use crate::tenant::{Flavour, Grant, Tenant, UserId};

pub(super) fn id_claims(
    app: &AppState,
    tenant: &Tenant,
    grant: &Grant,
    nonce: Option<&str>,
    client_id: &str,
) -> Value {
    let now = tenant.now().timestamp();
    let issuer = match grant.flavour {
        Flavour::Okta => app.issuer(),
        Flavour::Entra => app.entra_issuer(tenant),
    };
    let mut claims = json!({
        "iss": issuer,
        "sub": tenant.users[grant.user].okta_id,
        "aud": client_id,
        "iat": now,
        "exp": now + ACCESS_TOKEN_SECONDS,
        "auth_time": grant.auth_time.timestamp(),
        "amr": ["pwd"],
        "jti": random::okta_id("ID."),
    });
    if let Some(nonce) = nonce {
        claims["nonce"] = json!(nonce);
    }
    if grant.flavour == Flavour::Entra {
        let user = &tenant.users[grant.user];
        merge(
            &mut claims,
            json!({
                "ver": "2.0",
                "tid": tenant.seed.tenant.entra_tenant_id,
                "oid": user.object_id,
                "preferred_username": user.username,
            }),
        );
    }
    merge(
        &mut claims,
        profile_claims(tenant, grant.user, &grant.scopes),
    );
    claims
}

fn profile_claims(tenant: &Tenant, user: UserId, scopes: &[String]) -> Value {
    let u = &tenant.users[user];
    let mut claims = json!({ "sub": u.okta_id });
    if scopes.iter().any(|s| s == "profile") {
        merge(
            &mut claims,
            json!({
                "name": u.display_name,
                "given_name": u.given_name,
                "family_name": u.family_name,
                "preferred_username": u.username,
            }),
        );
    }
    if scopes.iter().any(|s| s == "email") {
        merge(
            &mut claims,
            json!({ "email": u.username, "email_verified": true }),
        );
    }
    claims
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

pub(super) async fn userinfo(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let tenant = app.tenant();
    match bearer(&headers).and_then(|t| tenant.grant(t)) {
        Some(grant) => Json(profile_claims(&tenant, grant.user, &grant.scopes)).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"")],
        )
            .into_response(),
    }
}
