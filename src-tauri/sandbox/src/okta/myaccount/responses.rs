//! MyAccount's answers: bodies with the versioned content type, `_links` entries, and the refusal
//! of a one-time code that did not check out.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::codes::CodeCheck;
use crate::okta::errors::{bad_passcode, EXPIRED_CODE, VOID_CODE, WRONG_CODE};

const CONTENT_TYPE: &str = "application/json;okta-version=1.0.0";

pub(super) fn versioned(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], Json(body)).into_response()
}

pub(super) fn link(href: String, allow: &[&str]) -> Value {
    json!({ "href": href, "hints": { "allow": allow } })
}

/// The response to a code check that did not succeed, or `None` when it did.
pub(super) fn refused(check: CodeCheck) -> Option<Response> {
    match check {
        CodeCheck::Accepted => None,
        CodeCheck::Wrong => Some(bad_passcode(WRONG_CODE)),
        CodeCheck::Expired => Some(bad_passcode(EXPIRED_CODE)),
        CodeCheck::Void => Some(bad_passcode(VOID_CODE)),
    }
}
