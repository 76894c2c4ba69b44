//! MyAccount's answers: bodies with the versioned content type, `_links` entries, and the refusal
//! of a one-time code that did not check out.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::codes::CodeCheck;
use crate::okta::errors::wrong_code;

const CONTENT_TYPE: &str = "application/json;okta-version=1.0.0";

pub(super) fn versioned(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], Json(body)).into_response()
}

/// MyAccount's errors carry the versioned content type too (every `Error-*` response of
/// `myaccount.json`), except the 406 that refuses the version (`ErrorNotAcceptable406`:
/// `application/json`).
pub(super) async fn version_errors(mut response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/json");
    if json && response.status() != StatusCode::NOT_ACCEPTABLE {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    }
    response
}

pub(super) fn link(href: String, allow: &[&str]) -> Value {
    json!({ "href": href, "hints": { "allow": allow } })
}

/// The response to a code check that did not succeed, or `None` when it did. A wrong or
/// expired code is `User-Failed-To-Answer-Challenge-401`; a challenge that can no longer be
/// answered is `gone` (the phone's `Invalid-Transaction-409`, the e-mail challenge's 404).
pub(super) fn refused(check: CodeCheck, gone: impl FnOnce() -> Response) -> Option<Response> {
    match check {
        CodeCheck::Accepted => None,
        CodeCheck::Wrong | CodeCheck::Expired => Some(wrong_code()),
        CodeCheck::Void => Some(gone()),
    }
}
