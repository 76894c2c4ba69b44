//! Cancelling: the state token's transaction ends.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::session::StateOnly;
use crate::http::json;
use crate::okta::errors::{invalid_state_token, malformed};
use crate::shared::AppState;

pub(super) async fn cancel(State(app): State<AppState>, body: Bytes) -> Response {
    let request: StateOnly = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    if tenant.recoveries.remove(&request.state_token).is_none() {
        return invalid_state_token();
    }
    Json(json!({})).into_response()
}
