//! Okta's Classic recovery (`/api/v1/authn/recovery/*`), against the rows of the derived
//! `authn-recovery.json`: there is no OpenAPI for it, so each row's status, `errorCode` and
//! `errorSummary` are checked here, and the codes against the error catalogue.

use latchkey_contract::Coverage;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{wrong, REGISTERED, REGISTERED_PHONE};
use crate::suite::Suite;

const START: &str = "POST /api/v1/authn/recovery/password";
const VERIFY: &str = "POST /api/v1/authn/recovery/factors/{sms|call}/verify";
const ANSWER: &str = "POST /api/v1/authn/recovery/answer";
const RESET: &str = "POST /api/v1/authn/credentials/reset_password";
const STATE: &str = "stateTokenErrors";

/// The rows this suite can reach in the sandbox, as (operation, status) pairs.
pub fn coverage() -> Coverage {
    let rows = latchkey_contract::load("okta/authn-recovery.json");
    let mut pairs = Vec::new();
    for (op, row) in rows["operations"].as_object().into_iter().flatten() {
        if row.get("200").is_some() {
            pairs.push(split(op, "200"));
        }
        for e in row["errors"].as_array().into_iter().flatten() {
            pairs.push(split(op, &e["status"].to_string()));
        }
    }
    for e in rows[STATE].as_array().into_iter().flatten() {
        pairs.push((STATE.into(), "any".into(), e["status"].to_string()));
    }
    Coverage::listed("Okta Classic recovery (derived)", pairs)
}

fn split(op: &str, status: &str) -> (String, String, String) {
    let (method, path) = op.split_once(' ').unwrap_or(("POST", op));
    (method.into(), path.into(), status.into())
}

/// The documented error row for an operation and status.
fn row(op: &str, status: u16) -> Value {
    let rows = latchkey_contract::load("okta/authn-recovery.json");
    let list = if op == STATE {
        rows[STATE].clone()
    } else {
        rows["operations"][op]["errors"].clone()
    };
    list.as_array()
        .into_iter()
        .flatten()
        .find(|e| e["status"] == status)
        .cloned()
        .unwrap_or(Value::Null)
}

struct Step<'a> {
    case: &'a str,
    op: &'a str,
    path: &'a str,
    body: Value,
}

async fn post(s: &mut Suite, cov: &mut Coverage, step: Step<'_>) -> (u16, Value) {
    let response =
        s.t.http
            .request(Method::POST, s.t.url(step.path))
            .header("accept", "application/json")
            .json(&step.body)
            .send()
            .await
            .expect("the sandbox answers");
    let status = response.status().as_u16();
    let json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("application/json");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    s.check(
        &format!("{} is JSON", step.case),
        if json {
            Ok(())
        } else {
            Err("Content-Type is not JSON".into())
        },
    );
    let (method, path, _) = split(step.op, "");
    cov.reached(&method, &path, &status.to_string());
    (status, body)
}

/// The answer is the documented row: status, code and summary (the catalogue's, where the
/// derived row prints a typo, e.g. E0000014's "does meet").
fn is_row(s: &mut Suite, case: &str, got: (u16, &Value), op: &str, status: u16) {
    let row = row(op, status);
    let catalogue = latchkey_contract::Catalogue::okta();
    let summary = catalogue
        .summary(row["errorCode"].as_str().unwrap_or_default())
        .unwrap_or_default()
        .to_owned();
    let outcome = if got.0 == status
        && got.1["errorCode"] == row["errorCode"]
        && got.1["errorSummary"].as_str() == Some(summary.as_str())
    {
        catalogue.check(got.0, got.1)
    } else {
        Err(format!(
            "answered {} {}, documented {status} {} {summary:?}",
            got.0, got.1, row["errorCode"]
        ))
    };
    s.check(&format!("{case} is the documented {op} {status}"), outcome);
}

pub async fn run(s: &mut Suite) -> Coverage {
    let mut cov = coverage();
    let start = |username: &str| json!({"username": username, "factorType": "SMS"});
    let (status, started) = post(
        s,
        &mut cov,
        Step {
            case: "start",
            op: START,
            path: "/api/v1/authn/recovery/password",
            body: start(REGISTERED),
        },
    )
    .await;
    s.check(
        "start answers RECOVERY_CHALLENGE",
        if status == 200 && started["status"] == "RECOVERY_CHALLENGE" {
            Ok(())
        } else {
            Err(format!("{status} {started}"))
        },
    );
    let state = started["stateToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let code = s.t.last_code(REGISTERED_PHONE).await;

    let verify = "/api/v1/authn/recovery/factors/sms/verify";
    let got = post(
        s,
        &mut cov,
        Step {
            case: "wrong code",
            op: VERIFY,
            path: verify,
            body: json!({"stateToken": state, "passCode": wrong(&code)}),
        },
    )
    .await;
    is_row(s, "wrong code", (got.0, &got.1), VERIFY, 403);
    let got = post(
        s,
        &mut cov,
        Step {
            case: "answer before the code",
            op: ANSWER,
            path: "/api/v1/authn/recovery/answer",
            body: json!({"stateToken": state, "answer": "x"}),
        },
    )
    .await;
    cov.reached(STATE, "any", &got.0.to_string());
    is_row(s, "answer before the code", (got.0, &got.1), STATE, 403);
    let got = post(
        s,
        &mut cov,
        Step {
            case: "unknown state token",
            op: VERIFY,
            path: verify,
            body: json!({"stateToken": "00unknown", "passCode": code}),
        },
    )
    .await;
    cov.reached(STATE, "any", &got.0.to_string());
    is_row(s, "unknown state token", (got.0, &got.1), STATE, 401);
    let (status, body) = post(
        s,
        &mut cov,
        Step {
            case: "right code",
            op: VERIFY,
            path: verify,
            body: json!({"stateToken": state, "passCode": code}),
        },
    )
    .await;
    s.check(
        "right code answers RECOVERY",
        if status == 200 && body["status"] == "RECOVERY" {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        },
    );
    let got = post(
        s,
        &mut cov,
        Step {
            case: "wrong answer",
            op: ANSWER,
            path: "/api/v1/authn/recovery/answer",
            body: json!({"stateToken": state, "answer": "definitely not"}),
        },
    )
    .await;
    is_row(s, "wrong answer", (got.0, &got.1), ANSWER, 403);
    let got = post(
        s,
        &mut cov,
        Step {
            case: "token as recovery token",
            op: "POST /api/v1/authn/recovery/token",
            path: "/api/v1/authn/recovery/token",
            body: json!({"recoveryToken": "00unknown"}),
        },
    )
    .await;
    is_row(
        s,
        "unknown recovery token",
        (got.0, &got.1),
        "POST /api/v1/authn/recovery/token",
        401,
    );
    let (status, body) = post(
        s,
        &mut cov,
        Step {
            case: "right answer",
            op: ANSWER,
            path: "/api/v1/authn/recovery/answer",
            body: json!({"stateToken": state, "answer": "Biscuit"}),
        },
    )
    .await;
    s.check(
        "right answer answers PASSWORD_RESET",
        if status == 200 && body["status"] == "PASSWORD_RESET" {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        },
    );
    let reset = "/api/v1/authn/credentials/reset_password";
    let got = post(
        s,
        &mut cov,
        Step {
            case: "a password the policy refuses",
            op: RESET,
            path: reset,
            body: json!({"stateToken": state, "newPassword": "short"}),
        },
    )
    .await;
    is_row(
        s,
        "a password the policy refuses",
        (got.0, &got.1),
        RESET,
        403,
    );
    let (status, body) = post(
        s,
        &mut cov,
        Step {
            case: "a good password",
            op: RESET,
            path: reset,
            body: json!({"stateToken": state, "newPassword": "Contract-Check-2026!x"}),
        },
    )
    .await;
    s.check(
        "a good password answers SUCCESS",
        if status == 200 && body["status"] == "SUCCESS" {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        },
    );
    email_recovery(s, &mut cov).await;
    rate_limited(s, &mut cov).await;
    cov
}

/// Recovery by e-mail: no state token in the answer; the e-mailed recovery token opens it.
async fn email_recovery(s: &mut Suite, cov: &mut Coverage) {
    let body = json!({"username": REGISTERED, "factorType": "EMAIL"});
    let step = Step {
        case: "e-mail recovery",
        op: START,
        path: "/api/v1/authn/recovery/password",
        body,
    };
    let (status, body) = post(s, cov, step).await;
    let shape =
        status == 200 && body["status"] == "RECOVERY_CHALLENGE" && body.get("stateToken").is_none();
    s.check(
        "e-mail recovery answers RECOVERY_CHALLENGE without a state token",
        if shape {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        },
    );
    let token = s.t.last_code(crate::common::REGISTERED_EMAIL).await;
    let path = "/api/v1/authn/recovery/token";
    let step = Step {
        case: "the e-mailed recovery token",
        op: "POST /api/v1/authn/recovery/token",
        path,
        body: json!({"recoveryToken": token}),
    };
    let (status, body) = post(s, cov, step).await;
    s.check(
        "the e-mailed recovery token answers RECOVERY",
        if status == 200 && body["status"] == "RECOVERY" {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        },
    );
}

/// Starting recovery too often for one username: 429 E0000047 with Okta's `X-Rate-Limit-*`.
async fn rate_limited(s: &mut Suite, cov: &mut Coverage) {
    let body = json!({"username": crate::common::NEW_USER, "factorType": "SMS"});
    for _ in 0..10 {
        let response =
            s.t.http
                .post(s.t.url("/api/v1/authn/recovery/password"))
                .header("accept", "application/json")
                .json(&body)
                .send()
                .await
                .expect("the sandbox answers");
        if response.status() != 429 {
            continue;
        }
        let names = [
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
        ];
        let missing: Vec<_> = names
            .iter()
            .filter(|h| response.headers().get(**h).is_none())
            .collect();
        let json: Value = response.json().await.unwrap_or(Value::Null);
        cov.reached("POST", "/api/v1/authn/recovery/password", "429");
        s.check(
            "too many starts carry X-Rate-Limit-*",
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!("missing {missing:?}"))
            },
        );
        let catalogue = latchkey_contract::Catalogue::okta();
        let code = if json["errorCode"] == "E0000047" {
            catalogue.check(429, &json)
        } else {
            Err(format!("{json}"))
        };
        s.check("too many starts are E0000047", code);
        return;
    }
    s.check(
        "too many starts are limited",
        Err("ten starts in a row were all accepted".into()),
    );
}
