//! Managing one's own authentication methods needs a recent sign-in: Learn's delete pages for
//! phone and e-mail methods (phoneauthenticationmethod-delete, emailauthenticationmethod-delete)
//! say users are prompted for MFA when they last authenticated more than 10 minutes ago. Over
//! the API that prompt is a claims challenge: 403 with `WWW-Authenticate: … error=
//! "insufficient_claims", claims="…"` (Learn, graph/errors: "If conditional access policies are
//! applied to a resource, an HTTP 403; Forbidden error=insufficient_claims message may be
//! returned"; the header's shape is claims-challenge.md's,
//! tests/contract/specs/graph/examples/claims-challenge.json). The OData body's code and
//! message are not documented; the client must decide by the header.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Duration;
use serde_json::json;

use super::Call;

/// How old a sign-in may be for self-service changes of methods.
const FRESH_FOR_MINUTES: i64 = 10;

/// `Err` is the claims challenge when the caller's sign-in is older than 10 minutes of the
/// tenant's clock; `authority` is where the client signs in again.
pub(super) fn require_recent_sign_in(call: &Call, authority: &str) -> Result<(), Response> {
    let oldest = call.now - Duration::minutes(FRESH_FOR_MINUTES);
    if call.auth_time.is_some_and(|t| t >= oldest) {
        return Ok(());
    }
    // CAE's claims request: a token issued after `oldest`, i.e. a new sign-in.
    let claims = json!({ "access_token": { "nbf": {
        "essential": true,
        "value": oldest.timestamp().to_string(),
    }}});
    let challenge = format!(
        "Bearer realm=\"\", authorization_uri=\"{authority}/oauth2/v2.0/authorize\", error=\"insufficient_claims\", claims=\"{}\"",
        STANDARD.encode(claims.to_string())
    );
    let mut r = call.error(
        StatusCode::FORBIDDEN,
        "accessDenied",
        "Multi-factor authentication within the last 10 minutes is required to manage your own authentication methods.",
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    Err(r)
}
