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
    // ErrorNotAcceptable406: E0000149 in Okta's shape, plain `application/json`.
    assert_eq!(no_accept.headers()["content-type"], "application/json");
    assert_eq!(no_accept.status(), StatusCode::NOT_ACCEPTABLE);
    let body: Value = no_accept.json().await.unwrap();
    assert_eq!(body["errorCode"], "E0000149");
    assert_eq!(body["errorSummary"], "The HTTP request is not acceptable.");
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
    // Error-VerifyPhoneEmail-Response-401 / User-Failed-To-Answer-Challenge-401.
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::UNAUTHORIZED, "E0000004")
    );
    assert_eq!(body["errorSummary"], "Authentication failed");
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "The verification challenge failed due to an invalid code."
    );
    let ok = call(
        &t,
        reqwest::Method::POST,
        &verify,
        &token,
        Some(json!({"verificationCode": code})),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    // The code is single use: Invalid-Transaction-409.
    let (status, ecode, body) = okta_error(
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
    assert_eq!((status, ecode.as_str()), (StatusCode::CONFLICT, "E0000157"));
    assert_eq!(
        body["errorSummary"],
        "Another authenticator with key: transactionHandle is already active."
    );

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
    // Invalid-Phone-Factor-Id-404.
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::NOT_FOUND, "E0000008")
    );
}

#[tokio::test]
async fn phone_numbers_that_are_not_e164_are_refused() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    // Error-Create-Phone-Response-400: Not-A-Number, Invalid-Country-Code, Too-Long.
    let not_a_number =
        "Api validation failed: Error type: NOT_A_NUMBER. The string supplied did not seem to be a phone number.";
    let country =
        "Api validation failed: Error type: INVALID_COUNTRY_CODE. Could not interpret numbers after plus-sign.";
    let too_long =
        "Api validation failed: Error type: TOO_LONG. The string supplied is too long to be a phone number.";
    for (bad, summary) in [
        ("0612345678", country),
        ("+1-800-FLOWERS", not_a_number),
        ("+１２３４５６７８９", not_a_number),
        ("+12", not_a_number),
        ("+1234567890123456", too_long),
        ("+44 20 7946 0958 x12", not_a_number),
        ("", not_a_number),
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
        assert_eq!(body["errorSummary"], summary, "{bad}");
        assert_eq!(
            body["errorCauses"][0]["errorSummary"],
            "Invalid phone number."
        );
    }
    let (_, code, body) = okta_error(
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
    // Invalid-Method.
    assert_eq!(code, "E0000001");
    assert_eq!(body["errorSummary"], "Api validation failed: Method");
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "Invalid method FAX in the request."
    );
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

    // Within 30 seconds: 429 E0000109 (an SMS too soon, authn-recovery.json rateLimits) with
    // Okta's X-Rate-Limit-* headers and no Retry-After; the reset is read against `Date`.
    let r = call(
        &t,
        reqwest::Method::POST,
        &challenge,
        &token,
        Some(json!({"method": "SMS", "retry": true})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.headers().contains_key("retry-after"));
    let wait = rate_limit_wait(r.headers());
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(r.headers()["x-rate-limit-remaining"], "0");
    let (_, code, body) = okta_error(r).await;
    assert_eq!(code, "E0000109");
    assert_eq!(
        body["errorSummary"],
        "An SMS message was recently sent. Please wait 30 seconds before trying again."
    );

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

    // Expired after ten minutes: MyAccount documents one refusal of a code,
    // User-Failed-To-Answer-Challenge-401.
    t.advance_clock(601).await;
    let (status, ecode, _) = okta_error(
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
    assert_eq!(
        (status, ecode.as_str()),
        (StatusCode::UNAUTHORIZED, "E0000004")
    );

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
    for attempt in 1..=5 {
        let r = call(
            &t,
            reqwest::Method::POST,
            &verify,
            &token,
            Some(json!({"verificationCode": wrong(&code)})),
        )
        .await;
        // The fifth voids the challenge: Invalid-Transaction-409 from then on.
        let expected = if attempt < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::CONFLICT
        };
        assert_eq!(r.status(), expected, "attempt {attempt}");
    }
    let (status, code, body) = okta_error(
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
    assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "E0000157"));
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "Failed to find a transaction. Either the challenge was answered or the factor id is invalid."
    );
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
    // The address already on the account: Email-Conflict-409.
    let (status, code, body) = okta_error(
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
    assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "E0000157"));
    assert_eq!(
        body["errorSummary"],
        "Another authenticator with key: email is already active."
    );
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        format!("The email {NEW_USER} is already registered to the current user profile.")
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
    // The challenge's statuses are VERIFIED and UNVERIFIED only (`POST …/challenge` 201).
    assert_eq!(challenge["status"], "UNVERIFIED");
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
        StatusCode::UNAUTHORIZED,
        "User-Failed-To-Answer-Challenge-401"
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
    assert_eq!(poll["status"], "UNVERIFIED");
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
    let (status, code, body) = okta_error(
        call(
            &t,
            reqwest::Method::POST,
            &wrong_challenge,
            &token,
            Some(json!({"verificationCode": code})),
        )
        .await,
    )
    .await;
    // Email-Challenge-Resource-Not-Found-404.
    assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "E0000007"));
    assert_eq!(
        body["errorSummary"],
        "Not found: Resource not found: nope (IdpMyAccountChallenge)"
    );

    // The primary address cannot be deleted (Invalid-Email-Deletion-400); the secondary can.
    let (status, code, body) = okta_error(
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
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "E0000001")
    );
    assert_eq!(
        body["errorCauses"][0]["errorSummary"],
        "Can't delete a verified email address."
    );

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
