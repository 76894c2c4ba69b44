//! The tenant's request log keeps each caller's `client-request-id` (and no other header), and
//! Okta's answers carry an `X-Okta-Request-Id` as the real Okta's do.

#[allow(clippy::unwrap_used)]
mod common;

use common::*;

/// The `client_request_id` the log holds for each request to `path`.
async fn logged_ids(t: &Tenant, path: &str) -> Vec<Option<String>> {
    let log = t.get_json("/sandbox/requests").await;
    log["requests"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|r| r["path"] == path)
        .map(|r| r["client_request_id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_request_log_keeps_the_client_request_id() {
    let t = start().await;
    t.http
        .get(t.url("/v1.0/me"))
        .header("client-request-id", "3f2b9c1e-0000-4000-8000-000000000001")
        .bearer_auth("a-token-the-log-must-not-keep")
        .send()
        .await
        .expect("GET");
    t.http.get(t.url("/v1.0/me")).send().await.expect("GET");
    assert_eq!(
        logged_ids(&t, "/v1.0/me").await,
        vec![
            Some("3f2b9c1e-0000-4000-8000-000000000001".to_owned()),
            None
        ]
    );
    let log = t.get_json("/sandbox/requests").await.to_string();
    assert!(!log.contains("a-token-the-log-must-not-keep"), "{log}");
}

#[tokio::test]
async fn okta_answers_carry_a_request_id_and_graph_answers_do_not() {
    let t = start().await;
    let discovery = format!("{}/.well-known/openid-configuration", t.sandbox.issuer());
    let okta = t.http.get(&discovery).send().await.expect("GET");
    let first = okta.headers()["x-okta-request-id"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        first.len() >= 20 && first.chars().all(|c| c.is_ascii_alphanumeric()),
        "{first}"
    );
    let again = t.http.get(&discovery).send().await.expect("GET");
    assert_ne!(again.headers()["x-okta-request-id"], first.as_str());
    let graph = t.http.get(t.url("/v1.0/me")).send().await.expect("GET");
    assert!(graph.headers().get("x-okta-request-id").is_none());
    assert!(graph.headers().get("request-id").is_some());
}
