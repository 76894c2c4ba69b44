//! The recovery question, asked after the factor when the policy wants two proofs.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::session::live;
use super::transaction::transaction;
use crate::http::json;
use crate::okta::errors::{error, invalid_state_token, malformed};
use crate::shared::AppState;
use crate::tenant::RecoveryStep;

const ANSWER_ATTEMPTS: u8 = 5;

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "stateToken", default)]
    state_token: String,
    #[serde(default)]
    answer: String,
}

/// Answers compare after trimming, collapsing spaces and case-folding, the same at set and check.
fn normalise_answer(a: &str) -> String {
    a.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(super) async fn answer(State(app): State<AppState>, body: Bytes) -> Response {
    let request: Answer = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    let token = request.state_token;
    let user = match live(&mut tenant, &token, RecoveryStep::Question) {
        Ok(r) => r.user,
        Err(refusal) => return refusal,
    };
    let right = user
        .and_then(|u| tenant.users[u].question.as_ref())
        .is_some_and(|(_, a)| normalise_answer(a) == normalise_answer(&request.answer));
    if !right {
        let Some(r) = tenant.recoveries.get_mut(&token) else {
            return invalid_state_token();
        };
        r.wrong_answers += 1;
        if r.wrong_answers >= ANSWER_ATTEMPTS {
            tenant.recoveries.remove(&token);
        }
        return error(
            StatusCode::FORBIDDEN,
            "E0000087",
            "The recovery question answer did not match our records.",
            &[],
        );
    }
    if let Some(r) = tenant.recoveries.get_mut(&token) {
        r.step = RecoveryStep::PasswordReset;
    }
    let r = &tenant.recoveries[&token];
    Json(transaction(&app, &tenant, &token, r)).into_response()
}

#[cfg(test)]
mod tests {
    use super::normalise_answer;

    #[test]
    fn answers_compare_after_the_same_normalisation() {
        assert_eq!(normalise_answer("  Biscuit "), normalise_answer("biscuit"));
        assert_eq!(normalise_answer("Le  Chat"), normalise_answer("le chat"));
        assert_ne!(normalise_answer("Biscuits"), normalise_answer("Biscuit"));
    }
}
