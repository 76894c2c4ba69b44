//! What clients sent to the emulated vendor APIs, kept in memory so that a test can hold each
//! request against the vendor's request schema (`GET /sandbox/requests`).
//!
//! Only the vendor paths are kept (not the sandbox's own pages), and only the last
//! `KEPT` requests, so a long demo session does not grow without bound. Nothing is written
//! anywhere: the log dies with the tenant.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::request_log::{Received, KEPT};
use crate::shared::AppState;

/// The largest body copied into the log.
const COPY_CAP: usize = 16 * 1024 * 1024;

/// The vendor API prefixes whose requests are kept.
const VENDOR_PATHS: &[&str] = &["/idp/", "/api/v1/", "/v1.0/", "/oauth2/"];

/// Middleware: copies a vendor request's method, path, type and body into the log.
pub(crate) async fn record(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !VENDOR_PATHS.iter().any(|p| path.starts_with(p)) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The handlers' own body limit still applies to the copy passed on (the limit travels in
    // `parts`); this cap only bounds the copy, far above anything a test sends.
    let Ok(bytes) = to_bytes(body, COPY_CAP).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let received = Received {
        method: parts.method.to_string(),
        path,
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    {
        let mut log = app.received();
        if log.len() == KEPT {
            log.pop_front();
        }
        log.push_back(received);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
