//! The last step: the new password, checked against the policy, ends the transaction and every
//! session of the user.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use super::session::live;
use super::transaction::{rfc3339, user_json};
use crate::http::json;
use crate::okta::errors::{error, invalid_state_token, malformed};
use crate::password::{self, Rejection};
use crate::random;
use crate::seed::PasswordRules;
use crate::shared::AppState;
use crate::tenant::RecoveryStep;

#[derive(Deserialize)]
struct ResetPassword {
    #[serde(rename = "stateToken", default)]
    state_token: String,
    #[serde(rename = "newPassword", default)]
    new_password: String,
}

pub(super) async fn reset_password(State(app): State<AppState>, body: Bytes) -> Response {
    let request: ResetPassword = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    let token = request.state_token;
    let Some(user) = (match live(&mut tenant, &token, RecoveryStep::PasswordReset) {
        Ok(r) => r.user,
        Err(refusal) => return refusal,
    }) else {
        return invalid_state_token();
    };
    let rules = tenant.seed.passwords.clone();
    let u = &tenant.users[user];
    let rejections = password::check(
        &rules,
        &u.username,
        &request.new_password,
        &u.recent_passwords(),
    );
    if !rejections.is_empty() {
        let cause = if rejections.contains(&Rejection::RecentlyUsed) {
            "Password has been used too recently".to_owned()
        } else if rejections.contains(&Rejection::Banned) {
            "This password was found in a list of commonly used passwords. Please try another password.".to_owned()
        } else {
            authn_requirements(&rules)
        };
        // authn-recovery.json, `credentials/reset_password`: 403 E0000014 with the policy's
        // requirements as the cause; the summary is the catalogue's.
        return error(
            StatusCode::FORBIDDEN,
            "E0000014",
            "Update of credentials failed",
            &[&cause],
        );
    }
    let now = tenant.now();
    tenant.users[user].set_password(&request.new_password, now, rules.history);
    tenant.recoveries.remove(&token);
    // A reset ends every session and refresh token of the user.
    tenant.access.retain(|_, g| g.user != user);
    tenant.refresh.retain(|_, r| r.grant.user != user);
    tenant.notify_password_reset(user);
    Json(json!({
        "status": "SUCCESS",
        "expiresAt": rfc3339(now + Duration::minutes(5)),
        "sessionToken": random::okta_id("201"),
        "_embedded": { "user": user_json(&tenant, user, false) },
    }))
    .into_response()
}

/// The requirements as the Authentication API words them ("Passwords must have at least 8
/// characters, …"): the list of MyAccount's wording, in the documented sentence.
fn authn_requirements(rules: &PasswordRules) -> String {
    let text = password::okta_requirements(rules);
    let list = text
        .split_once("Password requirements: ")
        .and_then(|(_, l)| l.split('.').next())
        .unwrap_or(&text);
    format!("Passwords must have {list}.")
}
