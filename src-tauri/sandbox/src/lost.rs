//! Lost answers, for the tests of SECURITY.md T21: the next N requests matching a method and a
//! path prefix are handled as usual (the change is made, the SMS is sent) and then their answer
//! is lost. `POST /sandbox/lost-answers` with
//! `{"method": "POST", "path_prefix": "/api/v1/authn/", "count": 1, "how": "hang" | "cut"}`:
//!
//! - `hang`: no answer comes in time, so the client's read times out;
//! - `cut`: the status line and headers come, then the connection closes mid-body.
//!
//! None of this exists at a vendor; it is what a network drop looks like from the client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// How long a `hang` keeps the answer back: far beyond any client timeout a test sets.
const HANG: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Loss {
    Hang,
    Cut,
}

#[derive(Debug, Clone, Deserialize)]
struct Rule {
    method: String,
    path_prefix: String,
    count: u32,
    how: Loss,
}

/// The rules still armed, shared by the control route and the middleware.
#[derive(Clone, Default)]
pub(crate) struct LostAnswers(Arc<Mutex<Vec<Rule>>>);

impl LostAnswers {
    /// Whether this request's answer is to be lost, and how; counts it against its rule.
    fn take(&self, method: &str, path: &str) -> Option<Loss> {
        let mut rules = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let rule = rules.iter_mut().find(|r| {
            r.count > 0 && r.method.eq_ignore_ascii_case(method) && path.starts_with(&r.path_prefix)
        })?;
        rule.count -= 1;
        let how = rule.how;
        rules.retain(|r| r.count > 0);
        Some(how)
    }
}

pub(crate) fn routes<S>(lost: LostAnswers) -> Router<S> {
    Router::new()
        .route("/sandbox/lost-answers", post(arm))
        .with_state(lost)
}

async fn arm(State(lost): State<LostAnswers>, body: Bytes) -> Response {
    match serde_json::from_slice::<Rule>(&body) {
        Ok(rule) if rule.count > 0 && rule.path_prefix.starts_with('/') => {
            lost.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(rule);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected {method, path_prefix (from /), count (> 0), how: hang|cut}"})),
        )
            .into_response(),
    }
}

/// Middleware: runs the request to the end, so whatever it changes is changed, then loses the
/// answer as the matching rule says.
pub(crate) async fn lose(
    State(lost): State<LostAnswers>,
    request: Request,
    next: Next,
) -> Response {
    let Some(how) = lost.take(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    let committed = next.run(request).await;
    match how {
        Loss::Hang => {
            tokio::time::sleep(HANG).await;
            committed
        }
        // A length the body never reaches: the server closes the connection short of it. The
        // body is a stream, of no length hyper could check the header against; the status is
        // one with a body (a 204 has none to cut), and the client never sees the real one.
        Loss::Cut => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, "4096")
            .body(Body::from_stream(Body::from("{\"").into_data_stream()))
            .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response()),
    }
}
