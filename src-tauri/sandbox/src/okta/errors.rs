//! Okta's errors:
//! `{"errorCode","errorSummary","errorLink","errorId","errorCauses":[{"errorSummary"}]}`, the
//! ones both surfaces answer with, and the causes of a refused one-time code.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::random;
use crate::ratelimit::Throttled;

/// An error in Okta's shape.
pub fn error(status: StatusCode, code: &str, summary: &str, causes: &[&str]) -> Response {
    let causes: Vec<_> = causes
        .iter()
        .map(|c| json!({ "errorSummary": c }))
        .collect();
    (
        status,
        Json(json!({
            "errorCode": code,
            "errorSummary": summary,
            "errorLink": code,
            "errorId": random::okta_id("oae"),
            "errorCauses": causes,
        })),
    )
        .into_response()
}

/// E0000001: a field is missing or malformed.
pub fn validation(field: &str, cause: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "E0000001",
        &format!("Api validation failed: {field}"),
        &[cause],
    )
}

/// E0000003: the body is not JSON Okta can read.
pub fn malformed(reason: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "E0000003",
        "The request body was not well-formed.",
        &[reason],
    )
}

/// E0000047 with Okta's rate-limit headers, plus `Retry-After` for clients that read only that.
pub fn throttled(t: Throttled) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
        &[],
    );
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    };
    set("x-rate-limit-limit", t.limit.to_string());
    set("x-rate-limit-remaining", "0".into());
    set("x-rate-limit-reset", t.reset_at.timestamp().to_string());
    set("retry-after", t.retry_after.to_string());
    response
}

/// E0000068: a wrong, expired or spent one-time code.
pub fn bad_passcode(cause: &str) -> Response {
    error(
        StatusCode::FORBIDDEN,
        "E0000068",
        "Invalid Passcode/Answer",
        &[cause],
    )
}

pub const WRONG_CODE: &str = "Your passcode doesn't match our records. Please try again.";
pub const EXPIRED_CODE: &str = "Your passcode has expired. Request a new one.";
pub const VOID_CODE: &str =
    "This passcode can no longer be used: too many attempts, or used already. Request a new one.";

/// E0000011, for a bearer or state token that is unknown or expired.
pub fn invalid_token(status: StatusCode) -> Response {
    let mut response = error(status, "E0000011", "Invalid token provided", &[]);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"IdpMyAccountAPI\", error=\"invalid_token\", error_description=\"The access token is invalid.\""),
        );
    }
    response
}

/// E0000038: the tenant does not let the user do this.
pub fn not_allowed() -> Response {
    error(
        StatusCode::FORBIDDEN,
        "E0000038",
        "This operation is not allowed in the current authentication state.",
        &[],
    )
}

pub fn not_found(id: &str, kind: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "E0000007",
        &format!("Not found: Resource not found: {id} ({kind})"),
        &[],
    )
}
