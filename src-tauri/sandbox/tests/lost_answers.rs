//! The lost-answers switch (`POST /sandbox/lost-answers`): the matching request is made, then
//! its answer is lost (cut mid-body, or held past the client's timeout), once per count; other
//! requests are answered as usual.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const START: &str = "/api/v1/authn/recovery/password";

async fn arm(t: &Tenant, rule: Value) -> StatusCode {
    t.http
        .post(t.url("/sandbox/lost-answers"))
        .json(&rule)
        .send()
        .await
        .unwrap()
        .status()
}

/// Starts an SMS recovery; `Err` when no whole answer came back.
async fn start_sms(t: &Tenant) -> Result<Value, reqwest::Error> {
    let body = json!({"username": REGISTERED, "factorType": "SMS"});
    let r = t.http.post(t.url(START)).json(&body).send().await?;
    r.json().await
}

#[tokio::test]
async fn a_cut_answer_is_made_then_lost_once() {
    let t = start().await;
    let rule = json!({"method": "post", "path_prefix": START, "count": 1, "how": "cut"});
    assert_eq!(arm(&t, rule).await, StatusCode::NO_CONTENT);
    assert!(start_sms(&t).await.is_err(), "the answer was lost");
    assert_eq!(t.outbox(REGISTERED_PHONE).await.len(), 1, "the SMS went");
    t.advance_clock(31).await;
    let answer = start_sms(&t).await.expect("the next one is answered");
    assert_eq!(answer["status"], "RECOVERY_CHALLENGE");
    assert_eq!(t.outbox(REGISTERED_PHONE).await.len(), 2);
    let log = t.get_json("/sandbox/requests").await;
    let starts = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == START)
        .count();
    assert_eq!(starts, 2, "the lost one is in the request log too");
}

#[tokio::test]
async fn a_hung_answer_outlasts_the_clients_timeout() {
    let t = start().await;
    let discovery = "/oauth2/default/.well-known/openid-configuration";
    let rule = json!({"method": "GET", "path_prefix": discovery, "count": 1, "how": "hang"});
    assert_eq!(arm(&t, rule).await, StatusCode::NO_CONTENT);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = client.get(t.url(discovery)).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    let r = client.get(t.url(discovery)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_the_method_and_prefix_named_lose_their_answer() {
    let t = start().await;
    let rule = json!({"method": "DELETE", "path_prefix": START, "count": 1, "how": "cut"});
    assert_eq!(arm(&t, rule).await, StatusCode::NO_CONTENT);
    let rule = json!({"method": "POST", "path_prefix": "/idp/", "count": 1, "how": "cut"});
    assert_eq!(arm(&t, rule).await, StatusCode::NO_CONTENT);
    assert!(start_sms(&t).await.is_ok(), "another method, another path");
    for bad in [
        json!({"method": "POST", "path_prefix": START, "count": 0, "how": "cut"}),
        json!({"method": "POST", "path_prefix": "api/", "count": 1, "how": "cut"}),
        json!({"method": "POST", "path_prefix": START, "count": 1, "how": "drop"}),
        json!({"method": "POST", "count": 1, "how": "cut"}),
    ] {
        assert_eq!(arm(&t, bad.clone()).await, StatusCode::BAD_REQUEST, "{bad}");
    }
}
