//! The sandbox's Okta errors as Okta documents them: each named after the example of
//! `tests/contract/specs/okta/myaccount.json` (or the row of `authn-recovery.json`) it answers
//! like, with the catalogue's code, status and summary, and the example's causes; and the
//! vendor's error shape for paths and methods the tenant does not serve.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PHONE_SCOPES: &str = "okta.myAccount.phone.read okta.myAccount.phone.manage";
const VERSIONED: &str = "application/json;okta-version=1.0.0";

async fn add_phone(t: &Tenant, token: &str, number: &str) -> reqwest::Response {
    t.http
        .post(t.url("/idp/myaccount/phones"))
        .bearer_auth(token)
        .header("accept", MYACCOUNT)
        .json(&json!({"profile": {"phoneNumber": number}, "method": "SMS", "sendCode": false}))
        .send()
        .await
        .unwrap()
}

fn cause(body: &Value) -> &str {
    body["errorCauses"][0]["errorSummary"].as_str().unwrap()
}

#[tokio::test]
async fn a_phone_already_on_the_account_is_a_conflict_and_a_fourth_exceeds_the_cardinality() {
    let t = start().await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    for number in ["+33612345678", "+33612345679", "+33612345670"] {
        assert_eq!(
            add_phone(&t, &token, number).await.status(),
            StatusCode::CREATED
        );
    }
    // Phone-Number-Exists-409, with MyAccount's versioned content type.
    let r = add_phone(&t, &token, "+33 6 12 34 56 78").await;
    assert_eq!(r.headers()["content-type"], VERSIONED);
    let (status, code, body) = okta_catalogued(r).await;
    assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "E0000157"));
    assert_eq!(
        body["errorSummary"],
        "Another authenticator with key: +33612345678 is already active."
    );
    assert_eq!(
        cause(&body),
        "This phone number is already assigned to the current user account."
    );
    // Cardinality-Max-Reached.
    let (status, code, body) = okta_catalogued(add_phone(&t, &token, "+33612345671").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "E0000001")
    );
    assert_eq!(
        body["errorSummary"],
        "Api validation failed: Exceeded cardinality max"
    );
    assert_eq!(
        cause(&body),
        "This user account has reached the maximum number of enrolled phone numbers."
    );
}

#[tokio::test]
async fn a_disabled_phone_authenticator_and_an_unknown_phone_answer_as_documented() {
    let t = start_with(seed_with(
        r#"methods_allowed = ["email", "mobile_phone", "security_questions"]"#,
        r#"methods_allowed = ["email", "security_questions"]"#,
    ))
    .await;
    let token = t.access_token(NEW_USER, PHONE_SCOPES).await;
    // Phone-Authenticator-Disabled.
    let (status, code, body) = okta_catalogued(add_phone(&t, &token, "+33612345678").await).await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "E0000038"));
    assert_eq!(
        body["errorSummary"],
        "This operation is not allowed in the user's current status."
    );
    assert_eq!(
        cause(&body),
        "Phone authenticator is not enabled for your org."
    );
    // Invalid-Phone-Factor-Id-404.
    let r = t
        .http
        .get(t.url("/idp/myaccount/phones/sms00nope"))
        .bearer_auth(&token)
        .header("accept", MYACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], VERSIONED);
    let (status, code, body) = okta_catalogued(r).await;
    assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "E0000008"));
    assert_eq!(
        cause(&body),
        "This operation couldn't be completed as requested due to an issue with the specified authenticator."
    );
}

#[tokio::test]
async fn myaccount_refusals_are_catalogued() {
    let t = start().await;
    let token = t.access_token(NEW_USER, "okta.myAccount.phone.read").await;
    // ErrorNotAcceptable406: E0000149 with plain `application/json`.
    let r = t
        .http
        .get(t.url("/idp/myaccount/phones"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (&body["errorCode"], &body["errorSummary"]),
        (
            &json!("E0000149"),
            &json!("The HTTP request is not acceptable.")
        )
    );
    assert!(
        body.get("errorCauses").is_none(),
        "Error406 types errorCauses as a string, its example as []: left out"
    );
    // A forged token: 401 E0000011 with the bearer challenge, versioned.
    let r = t
        .http
        .get(t.url("/idp/myaccount/phones"))
        .bearer_auth("forged")
        .header("accept", MYACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], VERSIONED);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    assert_eq!(okta_catalogued(r).await.1, "E0000011");
    // A missing scope: E0000006.
    let r = add_phone(&t, &token, "+33612345678").await;
    assert_eq!(okta_catalogued(r).await.1, "E0000006");
}

#[tokio::test]
async fn unserved_okta_paths_and_methods_answer_in_oktas_shape() {
    let t = start().await;
    for path in [
        "/api/v1/nope",
        "/idp/myaccount/nope",
        "/oauth2/default/v1/nope",
    ] {
        let r = t.http.get(t.url(path)).send().await.unwrap();
        assert_eq!(r.headers()["content-type"], "application/json", "{path}");
        let (status, code, body) = okta_catalogued(r).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::NOT_FOUND, "E0000008"),
            "{path}"
        );
        assert_eq!(body["errorSummary"], "The requested path was not found");
    }
    // E0000022 is not in the vendored catalogue subset: checked for shape only.
    let r = t
        .http
        .delete(t.url("/api/v1/authn/recovery/password"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "POST", "a 405 names what is served");
    let (status, code, _) = okta_error(r).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "E0000022")
    );
}

#[tokio::test]
async fn unserved_graph_paths_and_methods_answer_an_odata_error() {
    let t = start().await;
    let odata = |body: &Value| {
        let e = &body["error"];
        assert!(e["code"].is_string() && e["message"].is_string(), "{body}");
        for field in ["date", "request-id", "client-request-id"] {
            assert!(e["innerError"][field].is_string(), "{field} in {body}");
        }
        e["code"].as_str().unwrap().to_owned()
    };
    let r = t
        .http
        .get(t.url("/v1.0/me/nope"))
        .header("client-request-id", "c0ffee")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["client-request-id"], "c0ffee");
    let body: Value = r.json().await.unwrap();
    assert_eq!(odata(&body), "itemNotFound");
    assert_eq!(body["error"]["innerError"]["client-request-id"], "c0ffee");
    let r = t.http.put(t.url("/v1.0/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(odata(&r.json().await.unwrap()), "notSupported");
    // Neither vendor's path: the bare status, as before.
    let r = t.http.get(t.url("/nope")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_rate_limit_reset_is_on_the_tenants_clock_and_so_is_date() {
    // authn-recovery.json, recovery/password 429 E0000047 with X-Rate-Limit-*: with the
    // tenant's clock moved on, the reset less `Date` is still the window's remainder.
    let t = start().await;
    t.advance_clock(3600).await;
    let start = || {
        t.http
            .post(t.url("/api/v1/authn/recovery/password"))
            .json(&json!({"username": REGISTERED, "factorType": "SMS"}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(start().await.unwrap().status(), StatusCode::OK);
    }
    let r = start().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.headers().contains_key("retry-after"));
    let wait = rate_limit_wait(r.headers());
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(okta_catalogued(r).await.1, "E0000047");
}
