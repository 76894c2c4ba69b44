//! The standalone binary and the outbox views.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn the_binary_announces_its_urls_and_serves_discovery() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey-sandbox"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["client_id"], "latchkey-demo");
    let issuer = ready["issuer"].as_str().unwrap();
    let d: Value = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["issuer"], issuer);
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn a_bad_seed_file_is_named_and_exits_2() {
    let dir = std::env::temp_dir().join(format!("sandbox-seed-{}", std::process::id()));
    std::fs::write(&dir, "[tenant]\nname = 1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_latchkey-sandbox"))
        .arg("--seed")
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sandbox-seed-"));
}

#[tokio::test]
async fn the_outbox_page_lists_messages_escaped_and_the_json_filters() {
    let t = start().await;
    let token = t
        .access_token(NEW_USER, "okta.myAccount.email.manage")
        .await;
    let email: Value = t.http.post(t.url("/idp/myaccount/emails")).bearer_auth(&token).header("accept", MYACCOUNT)
        .json(&json!({"profile": {"email": "x<b>@example.net"}, "role": "SECONDARY", "sendEmail": false}))
        .send().await.unwrap().json().await.unwrap();
    let id = email["id"].as_str().unwrap();
    t.http
        .post(t.url(&format!("/idp/myaccount/emails/{id}/challenge")))
        .bearer_auth(&token)
        .header("accept", MYACCOUNT)
        .send()
        .await
        .unwrap();
    let code = t.last_code("x<b>@example.net").await;
    let page = t
        .http
        .get(t.url("/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&code));
    assert!(page.contains("x&lt;b&gt;@example.net"));
    assert!(!page.contains("x<b>@"));
    assert!(t.outbox("someone.else@example.net").await.is_empty());
    let home = t
        .http
        .get(t.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"/outbox\""));
    let before: Value = t
        .http
        .get(t.url("/sandbox/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    t.advance_clock(86_400).await;
    let after: Value = t
        .http
        .get(t.url("/sandbox/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let day = |v: &Value| chrono_day(v["now"].as_str().unwrap());
    assert_ne!(day(&before), day(&after), "the tenant's clock moved a day");
    let bad = t
        .http
        .post(t.url("/sandbox/clock"))
        .body("{\"advance_seconds\":-5}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.status(),
        reqwest::StatusCode::BAD_REQUEST,
        "the clock never goes back"
    );
    let empty = start().await;
    let page = empty
        .http
        .get(empty.url("/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Nothing sent yet"));
}

/// The date part of an RFC 3339 timestamp.
fn chrono_day(ts: &str) -> String {
    ts.split('T').next().unwrap().to_owned()
}
