//! The Authentication API's answers: a recovery transaction's state (`RECOVERY_CHALLENGE`,
//! `RECOVERY`, `PASSWORD_RESET`) with its embedded user and links.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::shared::AppState;
use crate::tenant::{Recovery, RecoveryFactor, RecoveryStep, Tenant, UserId};

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn link(name: Option<&str>, href: String) -> Value {
    let mut l = json!({ "href": href, "hints": { "allow": ["POST"] } });
    if let Some(name) = name {
        l["name"] = json!(name);
    }
    l
}

/// The factor as `factorType` names it: `SMS`, but `call` in lower case (`authn-recovery.json`,
/// `recovery/password` 200 `SMS|CALL`).
fn factor_name(f: RecoveryFactor) -> &'static str {
    match f {
        RecoveryFactor::Sms => "SMS",
        RecoveryFactor::Call => "call",
        RecoveryFactor::Email => "EMAIL",
    }
}

pub(super) fn user_json(tenant: &Tenant, user: UserId, with_question: bool) -> Value {
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
pub(super) fn transaction(app: &AppState, tenant: &Tenant, token: &str, r: &Recovery) -> Value {
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
                "factorType": name,
                "_links": {
                    "next": link(Some("verify"), format!("{base}/api/v1/authn/recovery/factors/{name}/verify")),
                    // An object in the recovery examples, not an array.
                    "resend": link(Some(&name.to_lowercase()), format!("{base}/api/v1/authn/recovery/factors/{name}/resend")),
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
        RecoveryStep::PasswordReset => password_reset(base, tenant, r, cancel),
    };
    if let (Some(v), Value::Object(c)) = (v.as_object_mut(), common) {
        v.extend(c);
    }
    v
}

/// The `PASSWORD_RESET` state: the user and the password policy the new password must meet.
fn password_reset(base: &str, tenant: &Tenant, r: &Recovery, cancel: Value) -> Value {
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
