//! Okta MyAccount phones and e-mails over real HTTP: scopes, the version header, verification
//! codes (wrong, expired, reused, too many attempts), resend limits and bad input.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PHONE_SCOPES: &str = "okta.myAccount.phone.manage";
const EMAIL_SCOPES: &str = "okta.myAccount.email.manage";

async fn call(
    t: &Tenant,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = t
        .http
        .request(method, t.url(path))
        .bearer_auth(token)
        .header("accept", MYACCOUNT);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_version_header_and_a_valid_scoped_token_are_required() {
    let t = start().await;
    let token = t.access_token(NEW_USER, "okta.myAccount.phone.read").await;
    let no_accept = t
        .http
        .get(t.url("/idp/myaccount/phones"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_accept.status(), StatusCode::NOT_ACCEPTABLE);
    let r = call(
        &t,
        reqwest::Method::GET,
        "/idp/myaccount/phones",
        &token,
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/json;okta-version=1.0.0"
    );
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));

    let (status, code, _) = okta_error(
        call(
            &t,
            reqwest::Method::GET,
            "/idp/myaccount/phones",
            "forged",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "E0000011")
    );
    let refused = call(
        &t,
        reqwest::Method::POST,
        "/idp/myaccount/phones",
        &token,
        Some(json!({"profile": {"phoneNumber": "+33612345678"}, "method": "SMS"})),
    )
    .await;
    assert!(refused.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("insufficient_scope"));
    let (status, code, _) = okta_error(refused).await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "E0000006"));
}

#[tokio::test]
async fn a_phone_is_added_verified_listed_and_deleted() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    let r = call(&t, reqwest::Method::POST, "/idp/myaccount/phones", &token, Some(json!({"profile": {"phoneNumber": "+33 6 12 34 56 78"}, "sendCode": true, "method": "SMS"}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let phone: Value = r.json().await.unwrap();
    assert_eq!(phone["status"], "UNVERIFIED");
    assert_eq!(
        phone["profile"]["phoneNumber"], "+33612345678",
        "stored as E.164"
    );
    assert!(phone["_links"]["verify"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/verify"));
    let id = phone["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sms") && id.len() == 20);

    let sms = &t.outbox("+33612345678").await[0];
    assert_eq!(sms["channel"], "sms");
    let code = sms["code"].as_str().unwrap().to_owned();
    assert!(sms["body"].as_str().unwrap().contains(&code));
    assert_eq!(code.len(), 6);

    let verify = format!("/idp/myaccount/phones/{id}/verify");
    let (status, ecode, body) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": wrong(&code)})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::FORBIDDEN, "E0000068")
    );
    assert!(body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .contains("doesn't match"));
    let ok = call(
        &t,
        reqwest::Method::POST,
        &verify,
        &token,
        Some(json!({"verificationCode": code})),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    // The code is single use.
    let (_, ecode, body) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": code})),
        )
        .await,
    )
    .await;
    assert_eq!(ecode, "E0000068");
    assert!(body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .contains("no longer"));

    let list: Value = call(
        &t,
        reqwest::Method::GET,
        "/idp/myaccount/phones",
        &token,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list[0]["status"], "VERIFIED");
    assert!(list[0]["_links"].get("verify").is_none());
    let one = call(
        &t,
        reqwest::Method::GET,
        &format!("/idp/myaccount/phones/{id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(one.status(), StatusCode::OK);

    let del = call(
        &t,
        reqwest::Method::DELETE,
        &format!("/idp/myaccount/phones/{id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    let (status, ecode, _) = okta_error(
        call(
            &t,
            reqwest::Method::DELETE,
            &format!("/idp/myaccount/phones/{id}"),
            &token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::NOT_FOUND, "E0000007")
    );
}

#[tokio::test]
async fn phone_numbers_that_are_not_e164_are_refused() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    for bad in [
        "0612345678",
        "+1-800-FLOWERS",
        "+１２３４５６７８９",
        "+12",
        "+1234567890123456",
        "+44 20 7946 0958 x12",
        "",
    ] {
        let (status, code, body) = okta_error(
            call(
                &t,
                reqwest::Method::POST,
                "/idp/myaccount/phones",
                &token,
                Some(json!({"profile": {"phoneNumber": bad}, "method": "SMS"})),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "E0000001"),
            "{bad}"
        );
        assert_eq!(body["errorSummary"], "Api validation failed: phoneNumber");
    }
    let (_, code, _) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            "/idp/myaccount/phones",
            &token,
            Some(json!({"profile": {"phoneNumber": "+33612345678"}, "method": "FAX"})),
        )
        .await,
    )
    .await;
    assert_eq!(code, "E0000001");
    assert!(
        t.outbox("+33612345678").await.is_empty(),
        "nothing sent for refused input"
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    for body in ["{not json", "[]", "{\"profile\":{}}", "null"] {
        let r = t
            .http
            .post(t.url("/idp/myaccount/phones"))
            .bearer_auth(&token)
            .header("accept", MYACCOUNT)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, code, _) = okta_error(r).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "E0000003"),
            "{body}"
        );
    }
    let huge = format!(
        "{{\"profile\":{{\"phoneNumber\":\"{}\"}}}}",
        "1".repeat(100_000)
    );
    let r = t
        .http
        .post(t.url("/idp/myaccount/phones"))
        .bearer_auth(&token)
        .header("accept", MYACCOUNT)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn resend_is_limited_expired_codes_fail_and_too_many_attempts_void_the_code() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    let phone: Value = call(
        &t,
        reqwest::Method::POST,
        "/idp/myaccount/phones",
        &token,
        Some(json!({"profile": {"phoneNumber": "+14255550199"}, "method": "CALL"})),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = phone["id"].as_str().unwrap();
    assert_eq!(t.outbox("+14255550199").await[0]["channel"], "call");
    let challenge = format!("/idp/myaccount/phones/{id}/challenge");
    let verify = format!("/idp/myaccount/phones/{id}/verify");

    // Within 30 seconds: 429 with Okta's headers and Retry-After.
    let r = call(
        &t,
        reqwest::Method::POST,
        &challenge,
        &token,
        Some(json!({"method": "SMS", "retry": true})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait));
    assert!(r.headers().contains_key("x-rate-limit-reset"));
    assert_eq!(okta_error(r).await.1, "E0000047");

    t.advance_clock(31).await;
    let r = call(
        &t,
        reqwest::Method::POST,
        &challenge,
        &token,
        Some(json!({"method": "SMS", "retry": true})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let code = t.last_code("+14255550199").await;

    // Expired after ten minutes.
    t.advance_clock(601).await;
    let (_, ecode, body) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": code})),
        )
        .await,
    )
    .await;
    assert_eq!(ecode, "E0000068");
    assert!(body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // A new code; five wrong tries void it, and the right code no longer works.
    assert_eq!(
        call(
            &t,
            reqwest::Method::POST,
            &challenge,
            &token,
            Some(json!({"method": "SMS"}))
        )
        .await
        .status(),
        StatusCode::OK
    );
    let code = t.last_code("+14255550199").await;
    for _ in 0..5 {
        let r = call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": wrong(&code)})),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let (_, _, body) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": code})),
        )
        .await,
    )
    .await;
    assert!(body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .contains("no longer"));
}

#[tokio::test]
async fn a_secondary_email_is_added_challenged_verified_and_registration_completes() {
    let t = start().await;
    let token = t
        .access_token(NEW_USER, &format!("{PHONE_SCOPES} {EMAIL_SCOPES}"))
        .await;
    let list: Value = call(
        &t,
        reqwest::Method::GET,
        "/idp/myaccount/emails",
        &token,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["roles"], json!(["PRIMARY"]));
    let primary = list[0]["id"].as_str().unwrap().to_owned();

    for bad in ["not-an-email", "a@b", "spaces in@x.org"] {
        let (status, code, _) = okta_error(
            call(
                &t,
                reqwest::Method::POST,
                "/idp/myaccount/emails",
                &token,
                Some(json!({"profile": {"email": bad}, "role": "SECONDARY", "sendEmail": false})),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "E0000001"),
            "{bad}"
        );
    }
    let (_, code, _) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            "/idp/myaccount/emails",
            &token,
            Some(json!({"profile": {"email": NEW_USER}, "role": "SECONDARY"})),
        )
        .await,
    )
    .await;
    assert_eq!(
        code, "E0000001",
        "the corporate address is not a recovery address"
    );
    let (status, code, _) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            "/idp/myaccount/emails",
            &token,
            Some(json!({"profile": {"email": "n@example.net"}, "role": "PRIMARY"})),
        )
        .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "E0000038"));

    let r = call(&t, reqwest::Method::POST, "/idp/myaccount/emails", &token, Some(json!({"profile": {"email": "nina.home@exämple.net"}, "role": "SECONDARY", "sendEmail": false}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let email: Value = r.json().await.unwrap();
    assert_eq!(email["status"], "UNVERIFIED");
    let id = email["id"].as_str().unwrap().to_owned();
    let r = call(
        &t,
        reqwest::Method::POST,
        &format!("/idp/myaccount/emails/{id}/challenge"),
        &token,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let challenge: Value = r.json().await.unwrap();
    assert_eq!(challenge["status"], "VERIFYING");
    let cid = challenge["id"].as_str().unwrap().to_owned();
    let code = t.last_code("nina.home@exämple.net").await;
    let verify = format!("/idp/myaccount/emails/{id}/challenge/{cid}/verify");
    assert_eq!(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": wrong(&code)}))
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let poll: Value = call(
        &t,
        reqwest::Method::GET,
        &format!("/idp/myaccount/emails/{id}/challenge/{cid}"),
        &token,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(poll["status"], "VERIFYING");
    assert_eq!(
        call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": code}))
        )
        .await
        .status(),
        StatusCode::OK
    );
    let poll: Value = call(
        &t,
        reqwest::Method::GET,
        &format!("/idp/myaccount/emails/{id}/challenge/{cid}"),
        &token,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(poll["status"], "VERIFIED");
    let wrong_challenge = format!("/idp/myaccount/emails/{id}/challenge/nope/verify");
    assert_eq!(
        call(
            &t,
            reqwest::Method::POST,
            &wrong_challenge,
            &token,
            Some(json!({"verificationCode": code}))
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );

    // The primary address cannot be deleted; the secondary can.
    let (status, code, _) = okta_error(
        call(
            &t,
            reqwest::Method::DELETE,
            &format!("/idp/myaccount/emails/{primary}"),
            &token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "E0000038"));

    // With a verified phone too, the new user now counts as registered: Graph shows both methods.
    let phone: Value = call(
        &t,
        reqwest::Method::POST,
        "/idp/myaccount/phones",
        &token,
        Some(json!({"profile": {"phoneNumber": "+33612345678"}, "method": "SMS"})),
    )
    .await
    .json()
    .await
    .unwrap();
    let code = t.last_code("+33612345678").await;
    let pid = phone["id"].as_str().unwrap();
    assert_eq!(
        call(
            &t,
            reqwest::Method::POST,
            &format!("/idp/myaccount/phones/{pid}/verify"),
            &token,
            Some(json!({"verificationCode": code}))
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let graph = t
        .access_token(NEW_USER, "UserAuthenticationMethod.Read")
        .await;
    let methods: Value = t
        .http
        .get(t.url("/v1.0/me/authentication/methods"))
        .bearer_auth(graph)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let types: Vec<_> = methods["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["@odata.type"].as_str().unwrap().to_owned())
        .collect();
    assert!(types.contains(&"#microsoft.graph.phoneAuthenticationMethod".to_owned()));
    assert!(types.contains(&"#microsoft.graph.emailAuthenticationMethod".to_owned()));

    assert_eq!(
        call(
            &t,
            reqwest::Method::DELETE,
            &format!("/idp/myaccount/emails/{id}"),
            &token,
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
}
