//! Proving the factor: the code sent by SMS or call (checked, or sent again), or the recovery
//! token of the e-mailed link.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::session::{live, StateOnly};
use super::transaction::transaction;
use crate::codes::{next_challenge, CodeCheck};
use crate::http::json;
use crate::okta::errors::{
    bad_passcode, error, invalid_state_token, malformed, sms_too_soon, throttled, validation,
    wrong_state,
};
use crate::outbox::Channel;
use crate::seed::SeedMethod;
use crate::shared::AppState;
use crate::tenant::{RecoveryFactor, RecoveryStep, Tenant, UserId};

#[derive(Deserialize)]
struct Passcode {
    #[serde(rename = "stateToken", default)]
    state_token: String,
    #[serde(rename = "passCode", default)]
    pass_code: String,
}

pub(super) async fn verify(
    State(app): State<AppState>,
    Path(factor): Path<String>,
    body: Bytes,
) -> Response {
    let request: Passcode = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let Some(factor) = parse_factor(&factor) else {
        return error(
            StatusCode::NOT_FOUND,
            "E0000007",
            &format!("Not found: Resource not found: {factor} (Factor)"),
            &[],
        );
    };
    if request.pass_code.trim().is_empty() {
        return validation("passCode", "passCode: The field cannot be left blank");
    }
    let mut tenant = app.tenant();
    let now = tenant.now();
    let token = request.state_token;
    let recovery = match live(&mut tenant, &token, RecoveryStep::Challenge) {
        Ok(r) if r.factor == factor => r,
        Ok(_) => return wrong_state(),
        Err(refusal) => return refusal,
    };
    let check = match recovery.challenge.as_mut() {
        Some(c) => c.check(&request.pass_code, now),
        None => CodeCheck::Void,
    };
    // An unknown user's codes never work; the failures count all the same.
    let check = match (check, recovery.user) {
        (CodeCheck::Accepted, None) => CodeCheck::Wrong,
        (c, _) => c,
    };
    match check {
        CodeCheck::Accepted => {
            let user = recovery.user;
            let next = after_factor(&tenant, user);
            let Some(r) = tenant.recoveries.get_mut(&token) else {
                return invalid_state_token();
            };
            r.step = next;
            r.challenge = None;
            let r = &tenant.recoveries[&token];
            Json(transaction(&app, &tenant, &token, r)).into_response()
        }
        // Okta documents one refusal of a recovery code (E0000068, "Your token doesn't match
        // our records"): an expired code gets it too. A void one ends the transaction, so the
        // next try is the expired state token's 401 E0000011.
        CodeCheck::Wrong | CodeCheck::Expired => bad_passcode(),
        CodeCheck::Void => {
            tenant.recoveries.remove(&token);
            bad_passcode()
        }
    }
}

pub(super) async fn resend(
    State(app): State<AppState>,
    Path(factor): Path<String>,
    body: Bytes,
) -> Response {
    let request: StateOnly = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let Some(factor) = parse_factor(&factor) else {
        return error(
            StatusCode::NOT_FOUND,
            "E0000007",
            &format!("Not found: Resource not found: {factor} (Factor)"),
            &[],
        );
    };
    let mut tenant = app.tenant();
    let now = tenant.now();
    let rules = tenant.seed.codes.clone();
    let token = request.state_token;
    let (user, next) = match live(&mut tenant, &token, RecoveryStep::Challenge) {
        Ok(r) => {
            let next = match next_challenge(r.challenge.as_ref(), &rules, now) {
                Ok(next) => next,
                Err(wait) if factor == RecoveryFactor::Sms => return sms_too_soon(wait),
                Err(wait) => return throttled(wait),
            };
            // The resend may switch between SMS and a call to the same phone.
            r.factor = factor;
            r.challenge = Some(next.clone());
            (r.user, next)
        }
        Err(refusal) => return refusal,
    };
    if let Some(number) =
        user.and_then(|u| tenant.users[u].verified_phone().map(|p| p.number.clone()))
    {
        let channel = if factor == RecoveryFactor::Sms {
            Channel::Sms
        } else {
            Channel::Call
        };
        tenant.send_code(channel, &number, next.code(), "resetting your password");
    }
    let r = &tenant.recoveries[&token];
    Json(transaction(&app, &tenant, &token, r)).into_response()
}

#[derive(Deserialize)]
struct RecoveryToken {
    #[serde(rename = "recoveryToken", default)]
    recovery_token: String,
}

pub(super) async fn redeem_token(State(app): State<AppState>, body: Bytes) -> Response {
    let request: RecoveryToken = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    // Single use, whatever happens next.
    // `recovery/token`: an expired or invalid recovery token is 401 E0000011.
    let Some(token) = tenant.recovery_tokens.remove(request.recovery_token.trim()) else {
        return invalid_state_token();
    };
    let user = match live(&mut tenant, &token, RecoveryStep::Challenge) {
        Ok(r) => r.user,
        Err(refusal) => return refusal,
    };
    let next = after_factor(&tenant, user);
    if let Some(r) = tenant.recoveries.get_mut(&token) {
        r.step = next;
    }
    let r = &tenant.recoveries[&token];
    Json(transaction(&app, &tenant, &token, r)).into_response()
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

fn parse_factor(path: &str) -> Option<RecoveryFactor> {
    match path.to_ascii_lowercase().as_str() {
        "sms" => Some(RecoveryFactor::Sms),
        "call" => Some(RecoveryFactor::Call),
        _ => None,
    }
}
