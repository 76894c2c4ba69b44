//! Okta Authentication API, password recovery (Classic Engine): start with a factor, verify the
//! code (or redeem the e-mailed recovery token), answer the recovery question when the policy asks
//! for a second proof, then set the new password with the state token.
//!
//! An unknown username gets the same answers as a known one; nothing is sent, and no code it is
//! given ever works.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    bad_passcode, error, invalid_token, malformed, not_allowed, throttled, validation,
    EXPIRED_CODE, VOID_CODE, WRONG_CODE,
};
use crate::codes::{next_challenge, Challenge, CodeCheck};
use crate::http::json;
use crate::outbox::Channel;
use crate::password::{self, Rejection};
use crate::random;
use crate::seed::SeedMethod;
use crate::tenant::{Recovery, RecoveryFactor, RecoveryStep, Tenant, UserId};
use crate::AppState;

/// How long a recovery transaction lives (Entra's reset session is 15 minutes too).
const TRANSACTION_MINUTES: i64 = 15;
const ANSWER_ATTEMPTS: u8 = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/authn/recovery/password", post(start))
        .route(
            "/api/v1/authn/recovery/factors/{factor}/verify",
            post(verify),
        )
        .route(
            "/api/v1/authn/recovery/factors/{factor}/resend",
            post(resend),
        )
        .route("/api/v1/authn/recovery/token", post(redeem_token))
        .route("/api/v1/authn/recovery/answer", post(answer))
        .route(
            "/api/v1/authn/credentials/reset_password",
            post(reset_password),
        )
        .route("/api/v1/authn/cancel", post(cancel))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn link(name: Option<&str>, href: String) -> Value {
    let mut l = json!({ "href": href, "hints": { "allow": ["POST"] } });
    if let Some(name) = name {
        l["name"] = json!(name);
    }
    l
}

fn factor_name(f: RecoveryFactor) -> &'static str {
    match f {
        RecoveryFactor::Sms => "SMS",
        RecoveryFactor::Call => "CALL",
        RecoveryFactor::Email => "EMAIL",
    }
}

fn user_json(tenant: &Tenant, user: UserId, with_question: bool) -> Value {
    let u = &tenant.users[user];
    let mut v = json!({
        "id": u.okta_id,
        "passwordChanged": rfc3339(u.password_changed),
        "profile": {
            "login": u.username,
            "firstName": u.given_name,
            "lastName": u.family_name,
            "locale": "en",
            "timeZone": "UTC",
        },
    });
    if with_question {
        if let Some((q, _)) = &u.question {
            v["recovery_question"] = json!({ "question": q });
        }
    }
    v
}

/// The transaction's current state, in the Authentication API's shape.
fn transaction(app: &AppState, tenant: &Tenant, token: &str, r: &Recovery) -> Value {
    let base = &app.base_url;
    let cancel = link(None, format!("{base}/api/v1/authn/cancel"));
    let common = json!({
        "stateToken": token,
        "expiresAt": rfc3339(r.expires_at),
        "recoveryType": "PASSWORD",
    });
    let mut v = match r.step {
        RecoveryStep::Challenge => {
            let name = factor_name(r.factor);
            json!({
                "status": "RECOVERY_CHALLENGE",
                "factorResult": "WAITING",
                "factorType": name,
                "_links": {
                    "next": link(Some("verify"), format!("{base}/api/v1/authn/recovery/factors/{name}/verify")),
                    "resend": [link(Some(&name.to_lowercase()), format!("{base}/api/v1/authn/recovery/factors/{name}/resend"))],
                    "cancel": cancel,
                },
            })
        }
        RecoveryStep::Question => json!({
            "status": "RECOVERY",
            "_embedded": { "user": r.user.map(|u| user_json(tenant, u, true)) },
            "_links": {
                "next": link(Some("answer"), format!("{base}/api/v1/authn/recovery/answer")),
                "cancel": cancel,
            },
        }),
        RecoveryStep::PasswordReset => {
            let p = &tenant.seed.passwords;
            json!({
                "status": "PASSWORD_RESET",
                "_embedded": {
                    "user": r.user.map(|u| user_json(tenant, u, false)),
                    "policy": {
                        "expiration": { "passwordExpireDays": p.validity_days },
                        "complexity": {
                            "minLength": p.min_length,
                            "minLowerCase": p.min_lower,
                            "minUpperCase": p.min_upper,
                            "minNumber": p.min_number,
                            "minSymbol": p.min_symbol,
                            "excludeUsername": p.exclude_username,
                        },
                        "age": { "minAgeMinutes": 0, "historyCount": p.history },
                    },
                },
                "_links": {
                    "next": link(Some("resetPassword"), format!("{base}/api/v1/authn/credentials/reset_password")),
                    "cancel": cancel,
                },
            })
        }
    };
    if let (Some(v), Value::Object(c)) = (v.as_object_mut(), common) {
        v.extend(c);
    }
    v
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
struct Start {
    #[serde(default)]
    username: Option<String>,
    #[serde(rename = "factorType", default)]
    factor_type: Option<String>,
    #[serde(rename = "relayState", default)]
    #[allow(dead_code)] // echoed by Okta's hosted flows only
    relay_state: Option<String>,
}

async fn start(State(app): State<AppState>, body: Bytes) -> Response {
    let request: Start = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let Some(username) = request
        .username
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
    else {
        return validation("username", "username: The field cannot be left blank");
    };
    let factor = match request.factor_type.as_deref() {
        Some("SMS") => RecoveryFactor::Sms,
        Some("CALL") => RecoveryFactor::Call,
        Some("EMAIL") => RecoveryFactor::Email,
        _ => return validation("factorType", "factorType: must be SMS, CALL or EMAIL"),
    };
    let mut tenant = app.tenant();
    let method = match factor {
        RecoveryFactor::Email => SeedMethod::Email,
        _ => SeedMethod::MobilePhone,
    };
    if !tenant.method_allowed(method) {
        return not_allowed();
    }
    let now = tenant.now();
    let limit = tenant.seed.rate_limits.recovery_start;
    if let Err(t) = tenant
        .limiter
        .hit(&format!("recovery:{}", username.to_lowercase()), limit, now)
    {
        return throttled(t);
    }
    // Only users the policy covers can recover; the others look exactly like unknown users.
    let user = tenant
        .find_user(&username)
        .filter(|&u| tenant.sspr_enabled_for(u));
    let state_token = format!("00{}", random::secret());
    let mut recovery = Recovery {
        user,
        factor,
        step: RecoveryStep::Challenge,
        challenge: None,
        expires_at: now + Duration::minutes(TRANSACTION_MINUTES),
        wrong_answers: 0,
    };
    match factor {
        RecoveryFactor::Sms | RecoveryFactor::Call => {
            let challenge = Challenge::issue(&tenant.seed.codes, now);
            let phone =
                user.and_then(|u| tenant.users[u].verified_phone().map(|p| p.number.clone()));
            if let Some(number) = phone {
                let channel = if factor == RecoveryFactor::Sms {
                    Channel::Sms
                } else {
                    Channel::Call
                };
                tenant.send_code(
                    channel,
                    &number,
                    challenge.code(),
                    "resetting your password",
                );
            } else {
                // Nothing to send to: this transaction must never succeed.
                recovery.user = None;
            }
            recovery.challenge = Some(challenge);
            let body = transaction(&app, &tenant, &state_token, &recovery);
            tenant.recoveries.insert(state_token, recovery);
            Json(body).into_response()
        }
        RecoveryFactor::Email => {
            let address =
                user.and_then(|u| tenant.users[u].recovery_email().map(|e| e.address.clone()));
            if let Some(address) = address {
                let token = random::okta_id("");
                let link = format!("{}/signin/reset-password/{token}", app.base_url);
                let name = tenant.seed.tenant.name.clone();
                tenant.outbox.send(now, Channel::Email, &address, &format!("{name}: reset your password"),
                    format!("To reset your password, open {link}\nor enter this recovery code in the app: {token}\n\nIt expires in {TRANSACTION_MINUTES} minutes."),
                    Some(token.clone()));
                tenant.recovery_tokens.insert(token, state_token.clone());
                tenant.recoveries.insert(state_token, recovery);
            }
            // The e-mail factor answers without a state token: the link carries the transaction.
            Json(json!({
                "status": "RECOVERY_CHALLENGE",
                "factorResult": "WAITING",
                "factorType": "EMAIL",
                "recoveryType": "PASSWORD",
                "_links": { "cancel": link(None, format!("{}/api/v1/authn/cancel", app.base_url)) },
            }))
            .into_response()
        }
    }
}

#[derive(Deserialize)]
struct StateOnly {
    #[serde(rename = "stateToken", default)]
    state_token: String,
}

#[derive(Deserialize)]
struct Passcode {
    #[serde(rename = "stateToken", default)]
    state_token: String,
    #[serde(rename = "passCode", default)]
    pass_code: String,
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

async fn verify(State(app): State<AppState>, Path(factor): Path<String>, body: Bytes) -> Response {
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
        Ok(_) | Err(_) => return invalid_token(StatusCode::FORBIDDEN),
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
                return invalid_token(StatusCode::FORBIDDEN);
            };
            r.step = next;
            r.challenge = None;
            let r = &tenant.recoveries[&token];
            Json(transaction(&app, &tenant, &token, r)).into_response()
        }
        CodeCheck::Wrong => bad_passcode(WRONG_CODE),
        CodeCheck::Expired => bad_passcode(EXPIRED_CODE),
        CodeCheck::Void => {
            tenant.recoveries.remove(&token);
            bad_passcode(VOID_CODE)
        }
    }
}

async fn resend(State(app): State<AppState>, Path(factor): Path<String>, body: Bytes) -> Response {
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

async fn redeem_token(State(app): State<AppState>, body: Bytes) -> Response {
    let request: RecoveryToken = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let mut tenant = app.tenant();
    // Single use, whatever happens next.
    let Some(token) = tenant.recovery_tokens.remove(request.recovery_token.trim()) else {
        return invalid_token(StatusCode::FORBIDDEN);
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

async fn answer(State(app): State<AppState>, body: Bytes) -> Response {
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
            return invalid_token(StatusCode::FORBIDDEN);
        };
        r.wrong_answers += 1;
        if r.wrong_answers >= ANSWER_ATTEMPTS {
            tenant.recoveries.remove(&token);
        }
        return error(
            StatusCode::FORBIDDEN,
            "E0000087",
            "The recovery question answer did not match our records.",
            &["Your answer doesn't match our records. Please try again."],
        );
    }
    if let Some(r) = tenant.recoveries.get_mut(&token) {
        r.step = RecoveryStep::PasswordReset;
    }
    let r = &tenant.recoveries[&token];
    Json(transaction(&app, &tenant, &token, r)).into_response()
}

#[derive(Deserialize)]
struct ResetPassword {
    #[serde(rename = "stateToken", default)]
    state_token: String,
    #[serde(rename = "newPassword", default)]
    new_password: String,
}

async fn reset_password(State(app): State<AppState>, body: Bytes) -> Response {
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
        return invalid_token(StatusCode::FORBIDDEN);
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
            password::okta_requirements(&rules)
        };
        return error(StatusCode::FORBIDDEN, "E0000080", "The password does not meet the complexity requirements of the current password policy.", &[&cause]);
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
