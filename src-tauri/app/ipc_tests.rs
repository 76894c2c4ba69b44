//! The Tauri layer on Tauri's mock runtime, without WebKit: the app's real context (its
//! capability and ACL) and state, and every registered command called once through IPC, as
//! the UI calls it. The provider is a loopback address where nothing listens, so each command
//! answers at once: what is checked is that it is reachable, takes the UI's argument names,
//! and answers with a stable error code rather than a panic or a debug string.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::path::PathBuf;

use latchkey_core::auth::{Identity, Session, Tokens};
use latchkey_core::config::Config;
use latchkey_core::launch::Entry;
use latchkey_core::presence::Presence;
use secrecy::SecretString;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::MockRuntime;
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::AppState;

const CONFIG: &str = "[organisation]\nname = \"Contoso\"\n[helpdesk]\nphone = \"+1 425 555 0100\"\n[provider]\nkind = \"okta\"\nissuer = \"http://127.0.0.1:9/oauth2/default\"\nclient_id = \"latchkey\"\n";

/// Every command in `generate_handler!`, with arguments as the UI sends them, and what it
/// must answer here: `Ok` or the error code.
fn calls() -> Vec<(&'static str, Value, Result<(), &'static str>)> {
    let none = json!({});
    vec![
        ("bootstrap", none.clone(), Ok(())),
        (
            "sign_in",
            json!({"confirm": false}),
            Err("provider_unreachable"),
        ),
        ("sign_in_status", none.clone(), Ok(())),
        ("sign_in_reopen", none.clone(), Err("sign_in_cancelled")),
        ("sign_in_cancel", none.clone(), Ok(())),
        ("sign_out", none.clone(), Ok(())),
        ("open_outbox", none.clone(), Err("sign_in_unavailable")),
        (
            "reset_start",
            json!({"username": "nina@contoso.example", "factor": "sms"}),
            Err("provider_unreachable"),
        ),
        (
            "reset_code",
            json!({"code": "123456"}),
            Err("session_expired"),
        ),
        (
            "reset_resend",
            json!({"switchTo": null}),
            Err("session_expired"),
        ),
        (
            "reset_answer",
            json!({"answer": "Rex"}),
            Err("session_expired"),
        ),
        (
            "reset_password",
            json!({"password": "x"}),
            Err("session_expired"),
        ),
        ("reset_cancel", none.clone(), Ok(())),
        ("connectivity", none.clone(), Ok(())),
        ("registration_status", none.clone(), Err("sign_in_required")),
        (
            "registration_add_phone",
            json!({"region": "FR", "number": "0612345678", "delivery": "sms"}),
            Err("sign_in_required"),
        ),
        (
            "registration_add_email",
            json!({"address": "nina@example.net"}),
            Err("sign_in_required"),
        ),
        (
            "registration_confirm",
            json!({"code": "1"}),
            Err("sign_in_required"),
        ),
        (
            "registration_resend",
            json!({"switchTo": "call"}),
            Err("sign_in_required"),
        ),
        ("registration_cancel", none.clone(), Err("sign_in_required")),
        (
            "registration_reconfirm",
            none.clone(),
            Err("sign_in_required"),
        ),
        (
            "registration_open_handoff",
            none.clone(),
            Err("sign_in_required"),
        ),
        (
            "registration_remove",
            json!({"id": "x"}),
            Err("sign_in_required"),
        ),
        (
            "reset_portal_open",
            json!({"username": "nina@contoso.example"}),
            Err("sign_in_unavailable"),
        ),
        ("password_expiry", none.clone(), Err("sign_in_required")),
        ("password_rules", none.clone(), Ok(())),
        (
            "change_password",
            json!({"current": "a", "new": "b"}),
            Err("sign_in_required"),
        ),
    ]
}

fn request(cmd: &str, body: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // Tauri's mock IPC on Linux answers only to this origin (FACTS.md).
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// The app with its real context on the mock runtime, and its "main" window (the mock runs
/// no event loop, so `setup` never opens it).
fn app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with(|_| {})
}

/// [`app`], with the state prepared first (a session, say).
fn app_with(prepare: impl FnOnce(&AppState)) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let path = PathBuf::from("ipc-test.toml");
    let config = Config::parse(CONFIG, &path);
    assert!(config.is_ok(), "{config:?}");
    let state = AppState::load((path, (config, None)), Entry::Home);
    prepare(&state);
    let app = super::app_builder(mock_builder(), state)
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    (app, window)
}

#[test]
fn every_command_answers_through_ipc_with_a_stable_code() {
    let (_app, window) = app();
    let calls = calls();
    let source = include_str!("lib.rs");
    let registered = source.matches("commands::").count();
    assert_eq!(calls.len(), registered, "one call per registered command");
    let mut wrong = Vec::new();
    for (cmd, body, expected) in calls {
        let answer = get_ipc_response(&window, request(cmd, body));
        let right = match (&expected, &answer) {
            (Ok(()), Ok(_)) => true,
            (Err(code), Err(error)) => {
                error["code"] == *code && error["messageKey"] == format!("error.{code}")
            }
            _ => false,
        };
        if !right {
            wrong.push(format!("{cmd}: expected {expected:?}, got {answer:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_command_outside_the_app_is_refused() {
    let (_app, window) = app();
    assert!(get_ipc_response(&window, request("plugin:fs|read_file", json!({}))).is_err());
    assert!(get_ipc_response(&window, request("no_such_command", json!({}))).is_err());
}

/// The shipped build has no sandbox tenant: a configuration asking for it is shown as a
/// configuration error naming `provider.kind`, with the helpdesk kept.
#[cfg(not(feature = "demo"))]
#[test]
fn the_shipped_build_refuses_the_sandbox_configuration() {
    let path = PathBuf::from("sandbox.toml");
    let raw = "[organisation]\nname = \"C\"\n[helpdesk]\nphone = \"+1 425 555 0100\"\n[provider]\nkind = \"sandbox\"\n";
    let state = AppState::load(
        (path.clone(), (Config::parse(raw, &path), None)),
        Entry::Home,
    );
    let problem = state
        .bootstrap()
        .config_problem
        .clone()
        .expect("a configuration problem");
    assert_eq!(problem.key.as_deref(), Some("provider.kind"));
    assert!(problem.detail.contains("demo build"), "{}", problem.detail);
    let helpdesk = state.bootstrap().helpdesk.clone().expect("helpdesk kept");
    assert_eq!(helpdesk.phone.as_deref(), Some("+1 425 555 0100"));
}

fn session() -> Session {
    Session {
        tokens: Tokens {
            access_token: SecretString::from("access".to_owned()),
            refresh_token: Some(SecretString::from("refresh".to_owned())),
            expires_at: None,
        },
        identity: Identity {
            subject: "00u1".into(),
            name: Some("Nina".into()),
            email: None,
            username: None,
            auth_time: None,
        },
    }
}

/// T47: a session from a kept refresh token cannot add or remove a method or change the
/// password; the same commands go through to the provider after an interactive sign-in.
#[test]
fn account_changes_need_a_fresh_interactive_sign_in() {
    let changes = [
        (
            "registration_add_phone",
            json!({"region": "FR", "number": "0612345678", "delivery": "sms"}),
        ),
        (
            "registration_add_email",
            json!({"address": "nina@example.net"}),
        ),
        ("registration_remove", json!({"id": "x"})),
        ("change_password", json!({"current": "a", "new": "b"})),
    ];
    let (_app, window) = app_with(|s| {
        s.signed_in(session(), Presence::silent(), false);
    });
    for (cmd, body) in changes.clone() {
        let answer = get_ipc_response(&window, request(cmd, body));
        let code = answer.err().map(|e| e["code"].clone());
        assert_eq!(code, Some(json!("fresh_sign_in_required")), "{cmd}");
    }
    // Reading is not a change: a kept sign-in may still read the registration.
    let read = get_ipc_response(&window, request("registration_status", json!({})));
    assert_ne!(
        read.err().map(|e| e["code"].clone()),
        Some(json!("fresh_sign_in_required"))
    );

    let (_app, window) = app_with(|s| {
        s.signed_in(session(), Presence::interactive_now(None), false);
    });
    for (cmd, body) in changes {
        let answer = get_ipc_response(&window, request(cmd, body));
        let code = answer.err().map(|e| e["code"].clone());
        assert_ne!(code, Some(json!("fresh_sign_in_required")), "{cmd}");
    }
}
