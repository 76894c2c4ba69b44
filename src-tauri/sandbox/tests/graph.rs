//! Microsoft Graph v1.0 surface over real HTTP: what a signed-in user may read, the self-service
//! writes Graph refuses, changePassword, domains, OData errors, request ids and throttling.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ALL: &str =
    "User.Read UserAuthenticationMethod.ReadWrite Directory.AccessAsUser.All Domain.Read.All";

async fn get(t: &Tenant, path: &str, token: &str) -> reqwest::Response {
    t.http
        .get(t.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Checks the OData error shape and returns its code.
async fn odata_error(r: reqwest::Response) -> (StatusCode, String) {
    let status = r.status();
    let request_id = r.headers()["request-id"].to_str().unwrap().to_owned();
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"].is_string(), "{body}");
    assert_eq!(body["error"]["innerError"]["request-id"], request_id);
    (status, body["error"]["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn me_and_select() {
    let t = start().await;
    let token = t.access_token(REGISTERED, "User.Read").await;
    let me: Value = get(&t, "/v1.0/me", &token).await.json().await.unwrap();
    assert_eq!(me["userPrincipalName"], REGISTERED);
    assert_eq!(me["displayName"], "Rafael Registered");
    assert!(
        me.get("lastPasswordChangeDateTime").is_none(),
        "not a default property"
    );
    let sel: Value = get(
        &t,
        "/v1.0/me?$select=lastPasswordChangeDateTime,passwordPolicies",
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(sel["lastPasswordChangeDateTime"], "2026-09-01T09:00:00Z");
    assert!(sel["passwordPolicies"].is_null());
    assert!(sel.get("displayName").is_none());
    let (status, code) = odata_error(get(&t, "/v1.0/me?$select=shoeSize", &token).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "BadRequest")
    );
}

#[tokio::test]
async fn methods_are_listed_with_graph_types_and_fixed_ids() {
    let t = start().await;
    let token = t
        .access_token(REGISTERED, "UserAuthenticationMethod.Read")
        .await;
    let all: Value = get(&t, "/v1.0/me/authentication/methods", &token)
        .await
        .json()
        .await
        .unwrap();
    let value = all["value"].as_array().unwrap();
    assert_eq!(value.len(), 3);
    assert_eq!(
        value[0]["@odata.type"],
        "#microsoft.graph.passwordAuthenticationMethod"
    );
    assert_eq!(value[0]["id"], "28c10230-6103-485e-b985-444c60001490");
    let phones: Value = get(&t, "/v1.0/me/authentication/phoneMethods", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        phones["value"][0],
        json!({"id": "3179e48a-750b-4051-897c-87b9720928f7", "phoneNumber": "+1 4255550123", "phoneType": "mobile", "smsSignInState": "notAllowedByPolicy"})
    );
    let one = get(
        &t,
        "/v1.0/me/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7",
        &token,
    )
    .await;
    assert_eq!(one.status(), StatusCode::OK);
    let emails: Value = get(&t, "/v1.0/me/authentication/emailMethods", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        emails["value"][0],
        json!({"id": "3ddfcfc8-9383-446f-83cc-3ab9be4be18f", "emailAddress": REGISTERED_EMAIL})
    );
    let (status, code) =
        odata_error(get(&t, "/v1.0/me/authentication/methods/unknown", &token).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "itemNotFound")
    );

    let new = t
        .access_token(NEW_USER, "UserAuthenticationMethod.Read")
        .await;
    let none: Value = get(&t, "/v1.0/me/authentication/phoneMethods", &new)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["value"], json!([]));
}

#[tokio::test]
async fn self_service_writes_are_refused_but_deletes_work() {
    let t = start().await;
    let token = t
        .access_token(REGISTERED, "UserAuthenticationMethod.ReadWrite")
        .await;
    let r = t
        .http
        .post(t.url("/v1.0/me/authentication/phoneMethods"))
        .bearer_auth(&token)
        .json(&json!({"phoneNumber": "+1 2065555555", "phoneType": "mobile"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        odata_error(r).await,
        (StatusCode::FORBIDDEN, "accessDenied".to_owned())
    );
    let r = t
        .http
        .patch(t.url("/v1.0/me/authentication/emailMethods/3ddfcfc8-9383-446f-83cc-3ab9be4be18f"))
        .bearer_auth(&token)
        .json(&json!({"emailAddress": "x@example.net"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        odata_error(r).await,
        (StatusCode::FORBIDDEN, "accessDenied".to_owned())
    );

    let read_only = t
        .access_token(REGISTERED, "UserAuthenticationMethod.Read")
        .await;
    let r = t
        .http
        .delete(t.url("/v1.0/me/authentication/emailMethods/3ddfcfc8-9383-446f-83cc-3ab9be4be18f"))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap();
    assert_eq!(
        odata_error(r).await,
        (StatusCode::FORBIDDEN, "accessDenied".to_owned())
    );
    let r = t
        .http
        .delete(t.url("/v1.0/me/authentication/emailMethods/3ddfcfc8-9383-446f-83cc-3ab9be4be18f"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .http
        .delete(t.url("/v1.0/me/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let left: Value = get(&t, "/v1.0/me/authentication/methods", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        left["value"].as_array().unwrap().len(),
        1,
        "only the password is left"
    );
}

#[tokio::test]
async fn change_password_checks_the_current_one_and_the_rules() {
    let t = start().await;
    let token = t.access_token(NEW_USER, "Directory.AccessAsUser.All").await;
    let change = |current: &str, new: &str| {
        let http = t.http.clone();
        let url = t.url("/v1.0/me/changePassword");
        let body = json!({"currentPassword": current, "newPassword": new});
        let token = token.clone();
        async move {
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        odata_error(change("wrong", "Fresh-Otter-77").await).await,
        (StatusCode::BAD_REQUEST, "Request_BadRequest".to_owned())
    );
    assert_eq!(
        odata_error(change(PASSWORD, "weak").await).await,
        (StatusCode::BAD_REQUEST, "Request_BadRequest".to_owned())
    );
    let r = t
        .http
        .post(t.url("/v1.0/me/changePassword"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(
        odata_error(r).await,
        (StatusCode::BAD_REQUEST, "BadRequest".to_owned())
    );
    assert_eq!(
        change(PASSWORD, "Fresh-Otter-77").await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn domains_need_their_permission_and_give_the_validity_period() {
    let t = start().await;
    let plain = t.access_token(NEW_USER, "User.Read").await;
    assert_eq!(
        odata_error(get(&t, "/v1.0/domains", &plain).await).await,
        (
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied".to_owned()
        )
    );
    let token = t.access_token(NEW_USER, "Domain.Read.All").await;
    let list: Value = get(&t, "/v1.0/domains", &token).await.json().await.unwrap();
    assert_eq!(list["value"][0]["passwordValidityPeriodInDays"], 90);
    let one: Value = get(&t, "/v1.0/domains/contoso.example", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["passwordNotificationWindowInDays"], 14);
    assert_eq!(
        odata_error(get(&t, "/v1.0/domains/other.example", &token).await)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tokens_are_checked_and_request_ids_echoed() {
    let t = start().await;
    let r = t
        .http
        .get(t.url("/v1.0/me"))
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["client-request-id"], "abc-123");
    assert_eq!(
        odata_error(r).await,
        (
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken".to_owned()
        )
    );
    assert_eq!(
        odata_error(get(&t, "/v1.0/me", "forged").await).await,
        (
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken".to_owned()
        )
    );
    let token = t.access_token(NEW_USER, "User.Read").await;
    // Access tokens expire after an hour.
    t.advance_clock(3601).await;
    assert_eq!(
        odata_error(get(&t, "/v1.0/me", &token).await).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn throttling_answers_429_with_retry_after() {
    let t = start_with(seed_with(
        "graph = { requests = 120, window_seconds = 60 }",
        "graph = { requests = 3, window_seconds = 60 }",
    ))
    .await;
    let token = t.access_token(NEW_USER, ALL).await;
    for _ in 0..3 {
        assert_eq!(get(&t, "/v1.0/me", &token).await.status(), StatusCode::OK);
    }
    let r = get(&t, "/v1.0/me", &token).await;
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(
        odata_error(r).await,
        (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests".to_owned())
    );
    t.advance_clock(60).await;
    assert_eq!(get(&t, "/v1.0/me", &token).await.status(), StatusCode::OK);
}
