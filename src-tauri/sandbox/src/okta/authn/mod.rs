//! Okta Authentication API, password recovery (Classic Engine): start with a factor, verify the
//! code (or redeem the e-mailed recovery token), answer the recovery question when the policy asks
//! for a second proof, then set the new password with the state token.
//!
//! An unknown username gets the same answers as a known one; nothing is sent, and no code it is
//! given ever works.
//!
//! This file holds the routes and the transaction lookups every step shares; each step has its
//! own module, and `transaction` writes the answers.

mod answer;
mod factor;
mod reset;
mod start;
mod transaction;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{invalid_token, malformed};
use crate::http::json;
use crate::seed::SeedMethod;
use crate::tenant::{Recovery, RecoveryFactor, RecoveryStep, Tenant, UserId};
use crate::AppState;

/// How long a recovery transaction lives (Entra's reset session is 15 minutes too).
const TRANSACTION_MINUTES: i64 = 15;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/authn/recovery/password", post(start::start))
        .route(
            "/api/v1/authn/recovery/factors/{factor}/verify",
            post(factor::verify),
        )
        .route(
            "/api/v1/authn/recovery/factors/{factor}/resend",
            post(factor::resend),
        )
        .route("/api/v1/authn/recovery/token", post(factor::redeem_token))
        .route("/api/v1/authn/recovery/answer", post(answer::answer))
        .route(
            "/api/v1/authn/credentials/reset_password",
            post(reset::reset_password),
        )
        .route("/api/v1/authn/cancel", post(cancel))
}

/// After a proven factor: the recovery question when the policy wants two proofs and the user
/// has one, else the new password.
fn after_factor(tenant: &Tenant, user: Option<UserId>) -> RecoveryStep {
    let wants_two = tenant.seed.policy.methods_required >= 2
        && tenant.method_allowed(SeedMethod::SecurityQuestions);
    match user {
        Some(u) if wants_two && tenant.users[u].question.is_some() => RecoveryStep::Question,
        _ => RecoveryStep::PasswordReset,
    }
}

#[derive(Deserialize)]
struct StateOnly {
    #[serde(rename = "stateToken", default)]
    state_token: String,
}

fn parse_factor(path: &str) -> Option<RecoveryFactor> {
    match path.to_ascii_lowercase().as_str() {
        "sms" => Some(RecoveryFactor::Sms),
        "call" => Some(RecoveryFactor::Call),
        _ => None,
    }
}

/// The live transaction for `token` at `step`, or the refusal (E0000011) when there is none.
fn live<'t>(
    tenant: &'t mut Tenant,
    token: &str,
    step: RecoveryStep,
) -> Result<&'t mut Recovery, Response> {
    let now = tenant.now();
    tenant.recoveries.retain(|_, r| r.expires_at > now);
    match tenant.recoveries.get_mut(token) {
        Some(r) if r.step == step => Ok(r),
        _ => Err(invalid_token(StatusCode::FORBIDDEN)),
    }
}

async fn cancel(State(app): State<AppState>, body: Bytes) -> Response {
    let request: StateOnly = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    if tenant.recoveries.remove(&request.state_token).is_none() {
        return invalid_token(StatusCode::FORBIDDEN);
    }
    Json(json!({})).into_response()
}
