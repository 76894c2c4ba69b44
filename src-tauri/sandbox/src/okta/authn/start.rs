//! The first step: a username and a factor open a transaction and send a code (SMS, call) or a
//! recovery link (e-mail). Users the policy does not cover get the same answers and nothing.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

use super::session::TRANSACTION_MINUTES;
use super::transaction::transaction;
use crate::codes::Challenge;
use crate::http::json;
use crate::okta::errors::{malformed, not_allowed, throttled, validation};
use crate::outbox::Channel;
use crate::random;
use crate::seed::SeedMethod;
use crate::shared::AppState;
use crate::tenant::{Recovery, RecoveryFactor, RecoveryStep, Tenant};

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

pub(super) async fn start(State(app): State<AppState>, body: Bytes) -> Response {
    let (username, factor) = match parse_start(&body) {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    let mut tenant = app.tenant();
    let method = match factor {
        RecoveryFactor::Email => SeedMethod::Email,
        _ => SeedMethod::MobilePhone,
    };
    if !tenant.method_allowed(method) {
        return not_allowed(&[]);
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
    let recovery = Recovery {
        user,
        factor,
        step: RecoveryStep::Challenge,
        challenge: None,
        expires_at: now + Duration::minutes(TRANSACTION_MINUTES),
        wrong_answers: 0,
    };
    match factor {
        RecoveryFactor::Sms | RecoveryFactor::Call => {
            start_by_phone(&app, &mut tenant, recovery, now)
        }
        RecoveryFactor::Email => start_by_email(&app, &mut tenant, recovery, now),
    }
}

/// The username and factor asked for, or the E0000001/E0000003 refusal.
fn parse_start(body: &[u8]) -> Result<(String, RecoveryFactor), Response> {
    let request: Start = json(body).map_err(|e| malformed(&e))?;
    let Some(username) = request
        .username
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
    else {
        return Err(validation(
            "username",
            "username: The field cannot be left blank",
        ));
    };
    // Okta's examples spell the call factor `CALL` and `call`.
    let factor = match request
        .factor_type
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("SMS") => RecoveryFactor::Sms,
        Some("CALL") => RecoveryFactor::Call,
        Some("EMAIL") => RecoveryFactor::Email,
        _ => {
            return Err(validation(
                "factorType",
                "factorType: must be SMS, CALL or EMAIL",
            ))
        }
    };
    Ok((username, factor))
}

/// SMS or call: a code to the user's verified phone, and the state token to verify it with.
fn start_by_phone(
    app: &AppState,
    tenant: &mut Tenant,
    mut recovery: Recovery,
    now: DateTime<Utc>,
) -> Response {
    let state_token = format!("00{}", random::secret());
    let challenge = Challenge::issue(&tenant.seed.codes, now);
    let phone = recovery
        .user
        .and_then(|u| tenant.users[u].verified_phone().map(|p| p.number.clone()));
    if let Some(number) = phone {
        let channel = if recovery.factor == RecoveryFactor::Sms {
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
    let body = transaction(app, tenant, &state_token, &recovery);
    tenant.issued.push(state_token.clone());
    tenant.recoveries.insert(state_token, recovery);
    Json(body).into_response()
}

/// E-mail: a link (and its recovery token) to the user's recovery address; the answer carries
/// no state token, as the link carries the transaction.
fn start_by_email(
    app: &AppState,
    tenant: &mut Tenant,
    recovery: Recovery,
    now: DateTime<Utc>,
) -> Response {
    let state_token = format!("00{}", random::secret());
    let address = recovery
        .user
        .and_then(|u| tenant.users[u].recovery_email().map(|e| e.address.clone()));
    if let Some(address) = address {
        let token = random::okta_id("");
        let link = format!("{}/signin/reset-password/{token}", app.base_url);
        let name = tenant.seed.tenant.name.clone();
        tenant.outbox.send(now, Channel::Email, &address, &format!("{name}: reset your password"),
            format!("To reset your password, open {link}\nor enter this recovery code in the app: {token}\n\nIt expires in {TRANSACTION_MINUTES} minutes."),
            Some(token.clone()));
        tenant.issued.push(token.clone());
        tenant.issued.push(state_token.clone());
        tenant.recovery_tokens.insert(token, state_token.clone());
        tenant.recoveries.insert(state_token, recovery);
    }
    Json(json!({
        "status": "RECOVERY_CHALLENGE",
        "factorResult": "WAITING",
        "factorType": "EMAIL",
        "recoveryType": "PASSWORD",
    }))
    .into_response()
}
