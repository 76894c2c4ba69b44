//! What clients sent to the emulated vendor APIs, kept in memory so that a test can hold each
//! request against the vendor's request schema (`GET /sandbox/requests`).
//!
//! Only the vendor paths are kept (not the sandbox's own pages), and only the last
//! `KEPT` requests, so a long demo session does not grow without bound. Nothing is written
//! anywhere: the log dies with the tenant.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::request_log::{Received, KEPT};
use crate::shared::AppState;

/// The largest body copied into the log.
const COPY_CAP: usize = 16 * 1024 * 1024;

/// The vendor API prefixes whose requests are kept.
const VENDOR_PATHS: &[&str] = &["/idp/", "/api/v1/", GRAPH_PATH, "/oauth2/"];

const GRAPH_PATH: &str = "/v1.0/";

const OKTA_REQUEST_ID: &str = "x-okta-request-id";

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
        path: path.clone(),
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        client_request_id: parts
            .headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    {
        let mut log = app.received();
        if log.len() == KEPT {
            log.pop_front();
        }
        log.push_back(received);
    }
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !path.starts_with(GRAPH_PATH) {
        stamp_okta_request_id(&mut response);
    }
    response
}

/// Okta answers every API call with `X-Okta-Request-Id`, the id its System Log files the call
/// under and the one its support asks for (Graph's `request-id` is stamped by `crate::graph`).
fn stamp_okta_request_id(response: &mut Response) {
    if let Ok(id) = HeaderValue::from_str(&crate::random::guid().replace('-', "")) {
        response.headers_mut().insert(OKTA_REQUEST_ID, id);
    }
}
