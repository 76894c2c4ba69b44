//! Okta Authentication API password recovery over real HTTP: SMS, call and e-mail factors, the
//! recovery question, the new password, and every refusal on the way.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(t: &Tenant, path: &str, body: Value) -> reqwest::Response {
    t.http.post(t.url(path)).json(&body).send().await.unwrap()
}

async fn start_sms(t: &Tenant, username: &str) -> Value {
    let r = post(
        t,
        "/api/v1/authn/recovery/password",
        json!({"username": username, "factorType": "SMS"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn recovery_challenges_have_the_documented_shape() {
    // authn-recovery.json, recovery/password 200: SMS|CALL carry a state token and links, the
    // resend link an object, `call` in lower case; EMAIL carries neither token nor links.
    let t = start().await;
    let call: Value = post(
        &t,
        "/api/v1/authn/recovery/password",
        json!({"username": REGISTERED, "factorType": "call"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(call["factorType"], "call");
    assert!(call["stateToken"].is_string() && call["expiresAt"].is_string());
    assert!(call["_links"]["resend"].is_object(), "{call}");
    assert_eq!(call["_links"]["next"]["name"], "verify");
    assert!(call.get("factorResult").is_none());
    let email: Value = post(
        &t,
        "/api/v1/authn/recovery/password",
        json!({"username": NEW_USER, "factorType": "EMAIL"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(email["factorResult"], "WAITING");
    assert!(
        email.get("stateToken").is_none() && email.get("_links").is_none(),
        "{email}"
    );
}

#[tokio::test]
async fn sms_code_then_question_then_new_password() {
    let t = start().await;
    let started = start_sms(&t, REGISTERED).await;
    assert_eq!(started["status"], "RECOVERY_CHALLENGE");
    assert_eq!(started["factorType"], "SMS");
    assert_eq!(started["recoveryType"], "PASSWORD");
    let state = started["stateToken"].as_str().unwrap().to_owned();
    assert!(started["_links"]["next"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/api/v1/authn/recovery/factors/SMS/verify"));

    let code = t.last_code(REGISTERED_PHONE).await;
    let (status, ecode, _) = okta_error(
        post(
            &t,
            "/api/v1/authn/recovery/factors/sms/verify",
            json!({"stateToken": state, "passCode": wrong(&code)}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::FORBIDDEN, "E0000068")
    );
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/factors/sms/verify",
        json!({"stateToken": state, "passCode": code}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "RECOVERY", "two methods: the question follows");
    assert_eq!(
        r["_embedded"]["user"]["recovery_question"]["question"],
        "What is the name of your first pet?"
    );

    // The code is spent; the transaction moved on.
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": state, "passCode": code})
            )
            .await
        )
        .await
        .1,
        "E0000079",
        "stateTokenErrors: a live state token at another step"
    );

    let (status, ecode, _) = okta_error(
        post(
            &t,
            "/api/v1/authn/recovery/answer",
            json!({"stateToken": state, "answer": "Rex"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::FORBIDDEN, "E0000087")
    );
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/answer",
        json!({"stateToken": state, "answer": "  biscuit "}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "PASSWORD_RESET");
    let complexity = &r["_embedded"]["policy"]["complexity"];
    assert_eq!(complexity["minLength"], 8);
    assert_eq!(complexity["excludeUsername"], true);
    assert_eq!(r["_embedded"]["policy"]["age"]["historyCount"], 4);

    for (weak, cause) in [
        // authn-recovery.json's cause: "Passwords must have at least 8 characters, ..."
        ("short1A", "Passwords must have at least 8 characters, "),
        (
            "rafael-Is-9-ok",
            "Passwords must have at least 8 characters, ",
        ),
        ("Password-2027", "commonly used"),
        (PASSWORD, "used too recently"),
    ] {
        let (status, ecode, body) = okta_error(
            post(
                &t,
                "/api/v1/authn/credentials/reset_password",
                json!({"stateToken": state, "newPassword": weak}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, ecode.as_str()),
            (StatusCode::FORBIDDEN, "E0000014"),
            "{weak}: authn-recovery.json, credentials/reset_password"
        );
        assert_eq!(body["errorSummary"], "Update of credentials failed");
        assert!(
            body["errorCauses"][0]["errorSummary"]
                .as_str()
                .unwrap()
                .contains(cause),
            "{weak}: {body}"
        );
    }
    // Unicode is sent and kept exactly as typed.
    let new_password = "Nouveau-mot-dé-passe-🦦-7";
    let r: Value = post(
        &t,
        "/api/v1/authn/credentials/reset_password",
        json!({"stateToken": state, "newPassword": new_password}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    assert!(r["sessionToken"].is_string());

    // The notification went to the verified addresses; the old password no longer signs in.
    let notice = &t.outbox(REGISTERED_EMAIL).await[0];
    assert!(notice["subject"]
        .as_str()
        .unwrap()
        .contains("password was reset"));
    assert!(notice.get("code").is_none());
    t.sign_in_as(REGISTERED, new_password, "openid").await;
    let pkce = pkce();
    let tx = t.sign_in_page(&t.authorize_url(&pkce, "openid", &[])).await;
    assert_eq!(
        t.submit(&tx, REGISTERED, PASSWORD, "sign_in")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // The transaction is over.
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/credentials/reset_password",
                json!({"stateToken": state, "newPassword": "Another-Good-1"})
            )
            .await
        )
        .await
        .1,
        "E0000011"
    );
}

#[tokio::test]
async fn unknown_and_unregistered_users_get_the_same_answer_and_nothing_is_sent() {
    let t = start().await;
    let known = start_sms(&t, REGISTERED).await;
    let unknown = start_sms(&t, "nobody@contoso.example").await;
    let unregistered = start_sms(&t, NEW_USER).await;
    let shape = |v: &Value| {
        let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (keys, v["status"].clone(), v["factorType"].clone())
    };
    assert_eq!(shape(&known), shape(&unknown));
    assert_eq!(shape(&known), shape(&unregistered));
    let messages: Value = t
        .http
        .get(t.url("/sandbox/outbox"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        messages["messages"].as_array().unwrap().len(),
        1,
        "only the registered user's phone got a code"
    );
    // No code works for an unknown user.
    let state = unknown["stateToken"].as_str().unwrap();
    let code = t.last_code(REGISTERED_PHONE).await;
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": state, "passCode": code})
            )
            .await
        )
        .await
        .1,
        "E0000068"
    );
}

#[tokio::test]
async fn email_factor_sends_a_recovery_token_that_works_once() {
    let t = start().await;
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/password",
        json!({"username": REGISTERED, "factorType": "EMAIL"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "RECOVERY_CHALLENGE");
    assert!(
        r.get("stateToken").is_none(),
        "the e-mail link carries the transaction"
    );
    let token = t.last_code(REGISTERED_EMAIL).await;
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/token",
        json!({"recoveryToken": token}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "RECOVERY");
    assert!(r["stateToken"].is_string());
    let (status, ecode, _) = okta_error(
        post(
            &t,
            "/api/v1/authn/recovery/token",
            json!({"recoveryToken": token}),
        )
        .await,
    )
    .await;
    // authn-recovery.json, recovery/token: an invalid recovery token is 401 E0000011.
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::UNAUTHORIZED, "E0000011")
    );
    // The link's page shows the code for the desktop flow.
    let page = t
        .http
        .get(t.url(&format!("/signin/reset-password/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&token));
}

#[tokio::test]
async fn a_call_resend_is_limited_and_does_not_reset_the_attempts() {
    let t = start().await;
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/password",
        json!({"username": REGISTERED, "factorType": "CALL"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let state = r["stateToken"].as_str().unwrap().to_owned();
    assert_eq!(t.outbox(REGISTERED_PHONE).await[0]["channel"], "call");
    let code = t.last_code(REGISTERED_PHONE).await;
    for _ in 0..3 {
        assert_eq!(
            post(
                &t,
                "/api/v1/authn/recovery/factors/call/verify",
                json!({"stateToken": state, "passCode": wrong(&code)})
            )
            .await
            .status(),
            StatusCode::FORBIDDEN
        );
    }
    let r = post(
        &t,
        "/api/v1/authn/recovery/factors/call/resend",
        json!({"stateToken": state}),
    )
    .await;
    // A call resent too soon: E0000047 with Okta's rate-limit headers.
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=30).contains(&rate_limit_wait(r.headers())));
    assert_eq!(okta_catalogued(r).await.1, "E0000047");
    t.advance_clock(31).await;
    let r = post(
        &t,
        "/api/v1/authn/recovery/factors/sms/resend",
        json!({"stateToken": state}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap()["factorType"],
        "SMS",
        "the resend may switch to SMS"
    );
    let code = t.last_code(REGISTERED_PHONE).await;
    // Two attempts were left: the fifth failure voids the transaction.
    assert_eq!(
        post(
            &t,
            "/api/v1/authn/recovery/factors/sms/verify",
            json!({"stateToken": state, "passCode": wrong(&code)})
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // The fifth gets the documented refusal and ends the transaction.
    let (_, code5, body) = okta_catalogued(
        post(
            &t,
            "/api/v1/authn/recovery/factors/sms/verify",
            json!({"stateToken": state, "passCode": wrong(&code)}),
        )
        .await,
    )
    .await;
    assert_eq!(code5, "E0000068");
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "Your token doesn't match our records. Please try again."
    );
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": state, "passCode": code})
            )
            .await
        )
        .await
        .1,
        "E0000011"
    );
}

#[tokio::test]
async fn expired_codes_and_transactions_are_refused() {
    let t = start().await;
    let state = start_sms(&t, REGISTERED).await["stateToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = t.last_code(REGISTERED_PHONE).await;
    t.advance_clock(601).await;
    let (_, ecode, body) = okta_error(
        post(
            &t,
            "/api/v1/authn/recovery/factors/sms/verify",
            json!({"stateToken": state, "passCode": code}),
        )
        .await,
    )
    .await;
    // Okta documents one refusal of a recovery code: an expired one gets it too.
    assert_eq!(ecode, "E0000068");
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "Your token doesn't match our records. Please try again."
    );
    t.advance_clock(15 * 60).await;
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": state, "passCode": code})
            )
            .await
        )
        .await
        .1,
        "E0000011"
    );
}

#[tokio::test]
async fn starting_recovery_is_rate_limited_per_username() {
    let t = start().await;
    for _ in 0..5 {
        start_sms(&t, REGISTERED).await;
    }
    let r = post(
        &t,
        "/api/v1/authn/recovery/password",
        json!({"username": REGISTERED.to_uppercase(), "factorType": "SMS"}),
    )
    .await;
    // authn-recovery.json, recovery/password 429: E0000047 with X-Rate-Limit-Limit, -Remaining
    // and -Reset; Okta sends no Retry-After.
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.headers().contains_key("retry-after"));
    assert!(r.headers().contains_key("x-rate-limit-limit"));
    assert_eq!(r.headers()["x-rate-limit-remaining"], "0");
    assert!((1..=60).contains(&rate_limit_wait(r.headers())));
    let reset: i64 = r.headers()["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > 1_700_000_000);
    assert_eq!(okta_error(r).await.1, "E0000047");
    start_sms(&t, NEW_USER).await;
}

#[tokio::test]
async fn bad_input_is_refused_in_okta_shape() {
    let t = start().await;
    let cases = [
        (json!({"factorType": "SMS"}), "E0000001"),
        (json!({"username": "  ", "factorType": "SMS"}), "E0000001"),
        (
            json!({"username": REGISTERED, "factorType": "PUSH"}),
            "E0000001",
        ),
        (json!({"username": REGISTERED}), "E0000001"),
        (json!([1, 2]), "E0000003"),
    ];
    for (body, code) in cases {
        let (status, ecode, _) =
            okta_error(post(&t, "/api/v1/authn/recovery/password", body.clone()).await).await;
        assert_eq!(
            (status, ecode.as_str()),
            (StatusCode::BAD_REQUEST, code),
            "{body}"
        );
    }
    let r = t
        .http
        .post(t.url("/api/v1/authn/recovery/password"))
        .header("content-type", "application/json")
        .body("{\"username\":")
        .send()
        .await
        .unwrap();
    assert_eq!(okta_error(r).await.1, "E0000003");
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/answer",
                json!({"stateToken": "forged", "answer": "x"})
            )
            .await
        )
        .await
        .1,
        "E0000011"
    );
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": "forged", "passCode": ""})
            )
            .await
        )
        .await
        .1,
        "E0000001"
    );
    assert_eq!(
        post(
            &t,
            "/api/v1/authn/recovery/factors/totp/verify",
            json!({"stateToken": "x", "passCode": "1"})
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    // A state token at the wrong step is refused too.
    let state = start_sms(&t, REGISTERED).await["stateToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/credentials/reset_password",
                json!({"stateToken": state, "newPassword": "Good-Enough-42"})
            )
            .await
        )
        .await
        .1,
        "E0000079",
        "stateTokenErrors: a live state token at another step"
    );
    assert_eq!(
        post(&t, "/api/v1/authn/cancel", json!({"stateToken": state}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        okta_error(
            post(
                &t,
                "/api/v1/authn/recovery/factors/sms/verify",
                json!({"stateToken": state, "passCode": "123456"})
            )
            .await
        )
        .await
        .1,
        "E0000011"
    );
}

#[tokio::test]
async fn one_method_policy_goes_straight_to_the_new_password() {
    let t = start_with(seed_with("methods_required = 2", "methods_required = 1")).await;
    let state = start_sms(&t, REGISTERED).await["stateToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = t.last_code(REGISTERED_PHONE).await;
    let r: Value = post(
        &t,
        "/api/v1/authn/recovery/factors/sms/verify",
        json!({"stateToken": state, "passCode": code}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["status"], "PASSWORD_RESET");
}

#[tokio::test]
async fn users_outside_the_policy_group_cannot_recover() {
    let t = start_with(
        seed_with("enabled_for = \"all\"", "enabled_for = \"group\"\n").clone_with_group("pilot"),
    )
    .await;
    let r = start_sms(&t, REGISTERED).await;
    assert_eq!(
        r["status"], "RECOVERY_CHALLENGE",
        "the same answer as anyone"
    );
    assert!(
        t.outbox(REGISTERED_PHONE).await.is_empty(),
        "but nothing is sent"
    );
}

trait WithGroup {
    fn clone_with_group(self, group: &str) -> latchkey_sandbox::Seed;
}

impl WithGroup for latchkey_sandbox::Seed {
    fn clone_with_group(mut self, group: &str) -> latchkey_sandbox::Seed {
        self.policy.group = Some(group.to_owned());
        self
    }
}
