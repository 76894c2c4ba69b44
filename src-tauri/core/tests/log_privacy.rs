//! The log says what the helpdesk needs and nothing the user must keep to themselves (T43,
//! DESIGN.md "Privacy"): the core's reset and registration journeys run against the sandbox
//! over loopback under the app's logger (at DEBUG, more than it writes by default),
//! then the log is held against every secret the tenant issued, every code it sent, every
//! password and answer typed, and every phone number and e-mail address of the journeys. The
//! support reference is checked on the way: in the log, in the `client-request-id` Graph
//! received, and in the `IpcError` of a failed call.
//!
//! One test, because the subscriber and the active journey are process-wide.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[path = "../../sandbox/tests/common/mod.rs"]
#[allow(clippy::unwrap_used)]
mod sandbox;

use std::sync::Arc;

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::config::LogLevel;
use latchkey_core::dto::{Delivery, IpcError, ResetFactor, ResetView};
use latchkey_core::error::CoreError;
use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
use latchkey_core::journeys::reset::ResetFlow;
use latchkey_core::logging;
use latchkey_core::providers::entra::Entra;
use latchkey_core::providers::graph::Graph;
use latchkey_core::providers::okta::Okta;
use latchkey_core::providers::ProviderError;
use latchkey_core::support::SupportRef;
use sandbox::*;
use secrecy::SecretString;

/// The app's logger (`latchkey_core::logging`), at DEBUG, its file in a temporary directory.
struct Captured {
    dir: tempfile::TempDir,
}

impl Captured {
    fn install() -> Captured {
        let dir = tempfile::tempdir().expect("tmp");
        let file = logging::rotated_file(dir.path()).expect("log file");
        tracing::subscriber::set_global_default(logging::subscriber(LogLevel::Debug, Some(file)))
            .expect("the only logger");
        Captured { dir }
    }

    /// Every log file's text (the stderr copy has the same lines).
    fn text(&self) -> String {
        std::fs::read_dir(self.dir.path())
            .expect("log dir")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("text"))
            .collect()
    }
}

fn http() -> HttpClient {
    HttpClient::new(Timeouts::default()).expect("client")
}

fn okta(t: &Tenant) -> Arc<Okta> {
    Arc::new(Okta::for_issuer(&t.sandbox.issuer(), http()).expect("okta"))
}

fn entra(t: &Tenant) -> Arc<Entra> {
    Arc::new(Entra {
        authority: format!("{}/contoso.example/v2.0", t.sandbox.authority_host()),
        graph: Graph::new(&t.url("/v1.0"), http()).expect("graph"),
        security_info: t.url("/mysignins/security-info"),
        reset_portal: t.url("/passwordreset/"),
    })
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn no_reconfirm() -> Reconfirm {
    Reconfirm {
        every_days: 180,
        record: None,
    }
}

/// What the UI would receive for `e`.
fn ipc(e: ProviderError) -> IpcError {
    IpcError::from(&CoreError::from(e))
}

const NEW_PASSWORD: &str = "Quiet-Harbour-Lantern-58";
const ANSWER: &str = "biscuit";
const WRONG_ANSWER: &str = "Rex";
const NEW_PHONE: &str = "+33612345678";
const NEW_PHONE_TYPED: &str = "06 12 34 56 78";
const NEW_EMAIL: &str = "nina@example.net";
const GRAPH_SCOPES: &str = "User.Read UserAuthenticationMethod.ReadWrite";
const MYACCOUNT_SCOPES: &str = "okta.myAccount.phone.manage okta.myAccount.email.manage";

/// Forgot password by SMS, a wrong code on the way; returns the reference and the codes.
async fn reset(t: &Tenant) -> (SupportRef, Vec<String>) {
    let (mut flow, _) = ResetFlow::start(okta(t), REGISTERED, ResetFactor::Sms)
        .await
        .expect("start");
    let code = t.last_code(REGISTERED_PHONE).await;
    let refused = flow
        .submit_code(&secret(&wrong(&code)))
        .await
        .expect_err("a wrong code");
    assert_eq!(
        ipc(refused).reference.as_deref(),
        Some(flow.reference().as_str()),
        "the error screen shows the journey's reference"
    );
    flow.submit_code(&secret(&code)).await.expect("code");
    flow.answer(&secret(WRONG_ANSWER))
        .await
        .expect_err("a wrong answer");
    flow.answer(&secret(ANSWER)).await.expect("answer");
    let done = flow
        .choose_password(&secret(NEW_PASSWORD))
        .await
        .expect("password");
    assert_eq!(done, ResetView::Done);
    (flow.reference().clone(), vec![code.clone(), wrong(&code)])
}

/// Okta registration: a phone and an e-mail, each confirmed by code; returns the codes.
async fn register_okta(t: &Tenant) -> (SupportRef, Vec<String>) {
    let token = secret(&t.access_token(NEW_USER, MYACCOUNT_SCOPES).await);
    let mut r = Registration::new(okta(t), 2, no_reconfirm());
    r.add_phone(&token, "FR", NEW_PHONE_TYPED, Delivery::Sms)
        .await
        .expect("add phone");
    let phone_code = t.last_code(NEW_PHONE).await;
    r.confirm(&token, &secret(&phone_code))
        .await
        .expect("confirm phone");
    r.add_email(&token, NEW_EMAIL).await.expect("add email");
    let email_code = t.last_code(NEW_EMAIL).await;
    let view = r
        .confirm(&token, &secret(&email_code))
        .await
        .expect("confirm email");
    assert!(view.complete, "{view:?}");
    (r.reference().clone(), vec![phone_code, email_code])
}

/// Entra registration: Graph lists the methods, then refuses a token it never issued.
async fn register_entra(t: &Tenant) -> SupportRef {
    let token = secret(&t.access_token(REGISTERED, GRAPH_SCOPES).await);
    let r = Registration::new(entra(t), 2, no_reconfirm());
    let view = r.view(&token).await.expect("view");
    assert_eq!(view.methods.len(), 2, "{view:?}");
    let refused = r
        .view(&secret("forged-token"))
        .await
        .expect_err("a forged token");
    assert_eq!(
        ipc(refused).reference.as_deref(),
        Some(r.reference().as_str())
    );
    r.reference().clone()
}

/// The `client-request-id` of every Graph request the tenant received.
async fn graph_request_ids(t: &Tenant) -> Vec<String> {
    let log = t.get_json("/sandbox/requests").await;
    log["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.starts_with("/v1.0/")))
        .map(|r| r["client_request_id"].as_str().expect("tagged").to_owned())
        .collect()
}

/// Lines of `log` with `reference` that contain every one of `parts`.
fn lines_with<'l>(log: &'l str, reference: &SupportRef, parts: &[&str]) -> Vec<&'l str> {
    let tag = format!("reference={reference}");
    log.lines()
        .filter(|l| l.contains(&tag) && parts.iter().all(|p| l.contains(p)))
        .collect()
}

#[tokio::test]
async fn the_log_serves_the_helpdesk_and_keeps_every_secret_out() {
    let captured = Captured::install();
    let t = start().await;
    // The reset last: it changes the password the others sign in with.
    let entra_ref = register_entra(&t).await;
    let (okta_ref, mut codes) = register_okta(&t).await;
    let (reset_ref, reset_codes) = reset(&t).await;
    codes.extend(reset_codes);
    let log = captured.text();

    // What the helpdesk reads: each journey's steps and provider calls under its reference.
    for (reference, journey, step) in [
        (&reset_ref, "reset", "code"),
        (&reset_ref, "reset", "password"),
        (&okta_ref, "registration", "add_phone"),
        (&okta_ref, "registration", "confirm"),
        (&entra_ref, "registration", "start"),
    ] {
        let wanted = [" INFO ", "journey step", journey, &format!("step={step}")];
        assert!(
            !lines_with(&log, reference, &wanted).is_empty(),
            "{journey} {step} in\n{log}"
        );
    }
    let recovery = lines_with(
        &log,
        &reset_ref,
        &[
            " INFO ",
            "provider call",
            "method=POST",
            "path=/api/v1/authn/recovery/password",
            "status=200",
            "duration_ms=",
        ],
    );
    assert_eq!(recovery.len(), 1, "{log}");
    let answers = lines_with(
        &log,
        &reset_ref,
        &[
            "DEBUG",
            "provider answer",
            "content_type=application/json",
            "bytes=",
        ],
    );
    assert!(
        !answers.is_empty(),
        "DEBUG says what came back, not what it said: {log}"
    );
    assert!(
        !recovery[0].contains("request_id=-"),
        "Okta's X-Okta-Request-Id: {log}"
    );
    let new_password = lines_with(
        &log,
        &reset_ref,
        &[
            "path=/api/v1/authn/credentials/reset_password",
            "status=200",
        ],
    );
    assert_eq!(new_password.len(), 1, "{log}");
    let wrong_code = lines_with(&log, &reset_ref, &["provider call", "status=403"]);
    assert!(!wrong_code.is_empty(), "the refused code: {log}");
    let myaccount = lines_with(
        &log,
        &okta_ref,
        &["path=/idp/myaccount/phones/{id}/verify", "status=204"],
    );
    assert!(!myaccount.is_empty(), "ids become {{id}}: {log}");
    // Each Graph request carried a client-request-id, logged with the journey's reference
    // (Graph echoes it) beside Graph's own request-id.
    let graph_ids = graph_request_ids(&t).await;
    assert_eq!(graph_ids.len(), 2, "{graph_ids:?}");
    for id in &graph_ids {
        let line = lines_with(&log, &entra_ref, &[&format!("client_request_id={id}")]);
        assert_eq!(line.len(), 1, "{id} in\n{log}");
        assert!(!line[0].contains("request_id=- "), "{}", line[0]);
    }

    // What must never be there.
    let mut secrets = t.issued().await;
    assert!(!secrets.is_empty(), "the tenant issued tokens");
    secrets.extend(codes);
    secrets.extend(
        [
            PASSWORD,
            NEW_PASSWORD,
            ANSWER,
            WRONG_ANSWER,
            "forged-token",
            REGISTERED_PHONE,
            "4255550123",
            NEW_PHONE,
            NEW_PHONE_TYPED,
            "612345678",
            NEW_USER,
            REGISTERED,
            REGISTERED_EMAIL,
            NEW_EMAIL,
            "nina.new",
            "rafael.registered",
            "rafael.home",
            "Bearer",
        ]
        .map(str::to_owned),
    );
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "{s:?} is in the log:\n{log}");
    }
}
