//! Okta's errors:
//! `{"errorCode","errorSummary","errorLink","errorId","errorCauses":[{"errorSummary"}]}`.
//!
//! Each summary is the template of Okta's error catalogue
//! (`tests/contract/specs/okta/error-codes.json`), `{0}` filled as the MyAccount examples fill
//! it; each cause is the one of the example named beside the function
//! (`myaccount.json`, `authn-recovery.json`).

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;
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

/// E0000001: a field is missing or malformed (`Invalid-Method`, `Invalid-Email-400`, …).
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

/// E0000047 (`ErrorTooManyRequests429`, authn `recovery/password`): Okta's rate-limit headers,
/// no `Retry-After`.
pub fn throttled(t: Throttled) -> Response {
    let summary = "API call exceeded rate limit due to too many requests.";
    rate_limited(t, "E0000047", summary)
}

/// E0000109: an SMS asked for again too soon (`authn-recovery.json` rateLimits.smsResend).
pub fn sms_too_soon(t: Throttled) -> Response {
    let summary = "An SMS message was recently sent. Please wait 30 seconds before trying again.";
    rate_limited(t, "E0000109", summary)
}

fn rate_limited(t: Throttled, code: &str, summary: &str) -> Response {
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, code, summary, &[]);
    // The reset is an instant on the tenant's clock (which tests move): `Date` says what that
    // clock read, so a client can measure the wait without trusting its own.
    let now = t.reset_at - Duration::seconds(t.retry_after);
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set(
        HeaderName::from_static("x-rate-limit-limit"),
        t.limit.to_string(),
    );
    set(
        HeaderName::from_static("x-rate-limit-remaining"),
        "0".into(),
    );
    set(
        HeaderName::from_static("x-rate-limit-reset"),
        t.reset_at.timestamp().to_string(),
    );
    set(
        header::DATE,
        now.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    );
    response
}

/// MyAccount's refusal of a code (`User-Failed-To-Answer-Challenge-401`): 401 E0000004.
pub fn wrong_code() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "E0000004",
        "Authentication failed",
        &["The verification challenge failed due to an invalid code."],
    )
}

/// MyAccount's verify with no live challenge: answered, void, or never sent
/// (`Invalid-Transaction-409`).
pub fn transaction_gone() -> Response {
    error(
        StatusCode::CONFLICT,
        "E0000157",
        "Another authenticator with key: transactionHandle is already active.",
        &["Failed to find a transaction. Either the challenge was answered or the factor id is invalid."],
    )
}

/// A phone or e-mail already on the account (`Phone-Number-Exists-409`, `Email-Conflict-409`).
pub fn already_registered(key: &str, cause: &str) -> Response {
    error(
        StatusCode::CONFLICT,
        "E0000157",
        &format!("Another authenticator with key: {key} is already active."),
        &[cause],
    )
}

/// The Authentication API's refusal of a recovery code (`factors/{sms|call}/verify`).
pub fn bad_passcode() -> Response {
    error(
        StatusCode::FORBIDDEN,
        "E0000068",
        "Invalid Passcode/Answer",
        &["Your token doesn't match our records. Please try again."],
    )
}

/// E0000011 for a MyAccount bearer token that is unknown or expired.
pub fn invalid_bearer() -> Response {
    let mut response = invalid_state_token();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"IdpMyAccountAPI\", error=\"invalid_token\", error_description=\"The access token is invalid.\""),
    );
    response
}

/// 401 E0000011 for an expired or unknown state or recovery token (`stateTokenErrors`,
/// `recovery/token`).
pub fn invalid_state_token() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "E0000011",
        "Invalid token provided",
        &[],
    )
}

/// 403 E0000079: a live state token used in a step its transaction is not at.
pub fn wrong_state() -> Response {
    let summary = "This operation is not allowed in the current authentication state.";
    error(StatusCode::FORBIDDEN, "E0000079", summary, &[summary])
}

/// E0000038: the tenant does not let the user do this (`Phone-Authenticator-Disabled`,
/// `Secondary-Email`).
pub fn not_allowed(causes: &[&str]) -> Response {
    error(
        StatusCode::FORBIDDEN,
        "E0000038",
        "This operation is not allowed in the user's current status.",
        causes,
    )
}

pub const PHONE_DISABLED: &str = "Phone authenticator is not enabled for your org.";
pub const EMAIL_DISABLED: &str = "Secondary email is not enabled as an authenticator for your org.";

/// E0000007 for a resource of MyAccount (`Email-Resource-Not-Found-404`,
/// `Email-Challenge-Resource-Not-Found-404`).
pub fn not_found(id: &str, kind: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "E0000007",
        &format!("Not found: Resource not found: {id} ({kind})"),
        &[],
    )
}

/// E0000008 for a phone id MyAccount does not know (`Invalid-Phone-Factor-Id-404`).
pub fn no_such_factor() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "E0000008",
        "The requested path was not found",
        &["This operation couldn't be completed as requested due to an issue with the specified authenticator."],
    )
}

/// 406 E0000149 (`ErrorNotAcceptable406`): an `Accept` without MyAccount's version. Its schema
/// (`Error406`) types `errorCauses` as a string while its example shows `[]`; the body leaves
/// the field out, which both allow a reader to take as "no causes".
pub fn not_acceptable() -> Response {
    let code = "E0000149";
    let body = json!({
        "errorCode": code,
        "errorSummary": "The HTTP request is not acceptable.",
        "errorLink": code,
        "errorId": random::okta_id("oae"),
    });
    (StatusCode::NOT_ACCEPTABLE, Json(body)).into_response()
}

/// 403 E0000006: the token lacks the operation's scope.
pub fn access_denied() -> Response {
    let mut refused = error(
        StatusCode::FORBIDDEN,
        "E0000006",
        "You do not have permission to perform the requested action",
        &[],
    );
    refused.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\""),
    );
    refused
}
