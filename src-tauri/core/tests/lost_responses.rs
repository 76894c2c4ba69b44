//! Lost answers (SECURITY.md T21): every change Latchkey asks of a provider whose answer is lost
//! after the request went out is an unknown outcome, said and never sent again; a request that
//! certainly never left, and a read, stay plain network errors the user may retry.
//!
//! The sandbox's `POST /sandbox/lost-answers` makes the change and then loses its answer
//! (`cut`: the connection closes mid-answer; `hang`: no answer before the client's timeout); its
//! request log and outbox show what reached it.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[path = "../../sandbox/tests/common/mod.rs"]
#[allow(clippy::unwrap_used)]
mod sandbox;

use std::sync::Arc;
use std::time::{Duration, Instant};

use latchkey_core::auth::http::{HttpClient, HttpError, Timeouts};
use latchkey_core::codes::{ErrorCode, NextStep};
use latchkey_core::dto::{Delivery as DtoDelivery, ResetFactor, ResetView};
use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
use latchkey_core::journeys::reset::ResetFlow;
use latchkey_core::providers::error::Unconfirmed;
use latchkey_core::providers::graph::{AuthMethod, Graph};
use latchkey_core::providers::okta::myaccount::Delivery;
use latchkey_core::providers::okta::Okta;
use latchkey_core::providers::recovery::{Recovery, RecoveryFactor, RecoveryStep};
use latchkey_core::providers::ProviderError;
use sandbox::*;
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MYACCOUNT_SCOPES: &str = "okta.myAccount.phone.manage okta.myAccount.email.manage";
const GRAPH_SCOPES: &str =
    "User.Read UserAuthenticationMethod.ReadWrite Directory.AccessAsUser.All Domain.Read.All";
const NEW_PHONE: &str = "+33612345678";

/// Short enough for a `hang` to end the test quickly, long enough for a loaded machine.
fn http() -> HttpClient {
    HttpClient::new(Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(2),
    })
    .expect("client")
}

fn okta(t: &Tenant) -> Okta {
    Okta::for_issuer(&t.sandbox.issuer(), http()).expect("okta")
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn unknown(what: Unconfirmed) -> ProviderError {
    ProviderError::OutcomeUnknown { what }
}

/// Arms the sandbox: the next request with `method` under `prefix` is made, then its answer lost.
async fn lose(t: &Tenant, method: &str, prefix: &str, how: &str) {
    let r = t
        .http
        .post(t.url("/sandbox/lost-answers"))
        .json(&serde_json::json!({"method": method, "path_prefix": prefix, "count": 1, "how": how}))
        .send()
        .await
        .expect("arm");
    assert_eq!(r.status(), reqwest::StatusCode::NO_CONTENT);
}

/// How many requests with `method` under `prefix` reached the sandbox.
async fn received(t: &Tenant, method: &str, prefix: &str) -> usize {
    let log = t.get_json("/sandbox/requests").await;
    log["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| {
            r["method"] == method && r["path"].as_str().is_some_and(|p| p.starts_with(prefix))
        })
        .count()
}

#[tokio::test]
async fn a_lost_recovery_start_sent_one_sms_and_is_not_sent_again() {
    let t = start().await;
    let okta = okta(&t);
    lose(&t, "POST", "/api/v1/authn/recovery/password", "cut").await;
    let error = okta
        .recovery_start(REGISTERED, RecoveryFactor::Sms)
        .await
        .unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::CodeSent));
    assert_eq!(error.code(), ErrorCode::CodeOutcomeUnknown);
    assert_eq!(error.code().next_step(), NextStep::Wait);
    assert_eq!(t.outbox(REGISTERED_PHONE).await.len(), 1, "exactly one SMS");
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/recovery/password").await,
        1
    );

    // The same through the journey, with no answer at all this time: a read timeout.
    lose(&t, "POST", "/api/v1/authn/recovery/password", "hang").await;
    let started = Instant::now();
    let error = ResetFlow::start(Arc::new(okta), REGISTERED, ResetFactor::Sms)
        .await
        .unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::CodeSent));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(t.outbox(REGISTERED_PHONE).await.len(), 2);
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/recovery/password").await,
        2,
        "one request per start, none resent"
    );
}

#[tokio::test]
async fn a_lost_resend_verify_or_answer_is_unknown() {
    let t = start().await;
    let okta = okta(&t);
    let Ok(RecoveryStep::CodeSent { state, factor }) =
        okta.recovery_start(REGISTERED, RecoveryFactor::Sms).await
    else {
        panic!("no code sent")
    };
    t.advance_clock(31).await;
    lose(
        &t,
        "POST",
        "/api/v1/authn/recovery/factors/sms/resend",
        "cut",
    )
    .await;
    assert_eq!(
        okta.recovery_resend(&state, factor).await.unwrap_err(),
        unknown(Unconfirmed::CodeSent)
    );
    assert_eq!(t.outbox(REGISTERED_PHONE).await.len(), 2, "the resend went");
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/recovery/factors/sms/resend").await,
        1
    );
    let code = t.last_code(REGISTERED_PHONE).await;
    lose(
        &t,
        "POST",
        "/api/v1/authn/recovery/factors/sms/verify",
        "cut",
    )
    .await;
    let error = okta
        .recovery_verify(&state, factor, &secret(&code))
        .await
        .unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::StepTaken));
    assert_eq!(error.code().next_step(), NextStep::StartOver);
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/recovery/factors/sms/verify").await,
        1
    );

    // A new reset up to the question; its answer's reply is lost.
    t.advance_clock(31).await;
    let Ok(RecoveryStep::CodeSent { state, factor }) =
        okta.recovery_start(REGISTERED, RecoveryFactor::Sms).await
    else {
        panic!("no code sent")
    };
    let code = t.last_code(REGISTERED_PHONE).await;
    let Ok(RecoveryStep::Question { state, .. }) =
        okta.recovery_verify(&state, factor, &secret(&code)).await
    else {
        panic!("no question")
    };
    lose(&t, "POST", "/api/v1/authn/recovery/answer", "cut").await;
    assert_eq!(
        okta.recovery_answer(&state, &secret("biscuit"))
            .await
            .unwrap_err(),
        unknown(Unconfirmed::StepTaken)
    );
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/recovery/answer").await,
        1
    );
}

#[tokio::test]
async fn a_lost_password_reset_is_never_sent_again_and_did_happen() {
    let t = start().await;
    let okta = Arc::new(okta(&t));
    let (mut flow, _) = ResetFlow::start(okta, REGISTERED, ResetFactor::Sms)
        .await
        .expect("start");
    let code = t.last_code(REGISTERED_PHONE).await;
    flow.submit_code(&secret(&code)).await.expect("code");
    let view = flow.answer(&secret("biscuit")).await.expect("answer");
    assert!(matches!(view, ResetView::NewPassword { .. }));
    lose(
        &t,
        "POST",
        "/api/v1/authn/credentials/reset_password",
        "hang",
    )
    .await;
    let new = secret("Quiet-Harbour-58");
    let error = flow.choose_password(&new).await.unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::PasswordChanged));
    assert_eq!(error.code(), ErrorCode::PasswordOutcomeUnknown);
    assert_eq!(error.code().next_step(), NextStep::TrySignIn);
    // Submitting again (a UI that offered the form) never reaches the provider.
    assert_eq!(
        flow.choose_password(&new).await.unwrap_err(),
        unknown(Unconfirmed::PasswordChanged)
    );
    assert_eq!(
        received(&t, "POST", "/api/v1/authn/credentials/reset_password").await,
        1
    );
    // What the message tells the user to try: the new password signs in.
    t.sign_in_as(REGISTERED, "Quiet-Harbour-58", "openid").await;
}

#[tokio::test]
async fn lost_myaccount_changes_are_unknown_and_were_made() {
    let t = start().await;
    let okta = okta(&t);
    let token = secret(&t.access_token(NEW_USER, MYACCOUNT_SCOPES).await);
    lose(&t, "POST", "/idp/myaccount/phones", "cut").await;
    assert_eq!(
        okta.add_phone(&token, NEW_PHONE, Delivery::Sms)
            .await
            .unwrap_err(),
        unknown(Unconfirmed::CodeSent)
    );
    assert_eq!(t.outbox(NEW_PHONE).await.len(), 1, "exactly one SMS");
    let phones = okta.phones(&token).await.expect("phones");
    assert!(phones.len() == 1 && !phones[0].verified, "{phones:?}");
    let id = phones[0].id.clone();
    t.advance_clock(31).await;
    lose(&t, "POST", "/idp/myaccount/phones/", "cut").await;
    assert_eq!(
        okta.send_phone_code(&token, &id, Delivery::Sms)
            .await
            .unwrap_err(),
        unknown(Unconfirmed::CodeSent)
    );
    assert_eq!(t.outbox(NEW_PHONE).await.len(), 2);
    let code = t.last_code(NEW_PHONE).await;
    lose(&t, "POST", "/idp/myaccount/phones/", "cut").await;
    let error = okta
        .verify_phone(&token, &id, &secret(&code))
        .await
        .unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::MethodChanged));
    assert_eq!(error.code().next_step(), NextStep::CheckList);
    assert!(okta.phones(&token).await.expect("phones")[0].verified);
    lose(&t, "DELETE", "/idp/myaccount/phones/", "cut").await;
    assert_eq!(
        okta.remove_phone(&token, &id).await.unwrap_err(),
        unknown(Unconfirmed::MethodChanged)
    );
    assert!(okta.phones(&token).await.expect("phones").is_empty());
    assert_eq!(received(&t, "POST", "/idp/myaccount/phones").await, 3);
    assert_eq!(received(&t, "DELETE", "/idp/myaccount/phones/").await, 1);

    lose(&t, "POST", "/idp/myaccount/emails", "cut").await;
    assert_eq!(
        okta.add_email(&token, "nina@example.net")
            .await
            .unwrap_err(),
        unknown(Unconfirmed::MethodChanged)
    );
    let emails = okta.emails(&token).await.expect("emails");
    let email = emails
        .iter()
        .find(|e| e.address == "nina@example.net")
        .expect("the address was added");
    lose(&t, "POST", "/idp/myaccount/emails/", "cut").await;
    assert_eq!(
        okta.send_email_code(&token, &email.id).await.unwrap_err(),
        unknown(Unconfirmed::CodeSent)
    );
    assert_eq!(t.outbox("nina@example.net").await.len(), 1);
    t.advance_clock(31).await;
    let challenge = okta
        .send_email_code(&token, &email.id)
        .await
        .expect("challenge");
    let code = t.last_code("nina@example.net").await;
    lose(&t, "POST", "/idp/myaccount/emails/", "cut").await;
    assert_eq!(
        okta.verify_email(&token, &email.id, &challenge, &secret(&code))
            .await
            .unwrap_err(),
        unknown(Unconfirmed::MethodChanged)
    );
    assert_eq!(received(&t, "POST", "/idp/myaccount/emails").await, 4);
}

#[tokio::test]
async fn a_lost_confirmation_leaves_the_code_step_for_the_list() {
    let t = start().await;
    let okta: Arc<Okta> = Arc::new(okta(&t));
    let token = secret(&t.access_token(NEW_USER, MYACCOUNT_SCOPES).await);
    let reconfirm = Reconfirm {
        every_days: 0,
        record: None,
    };
    let mut registration = Registration::new(okta, 2, reconfirm);
    registration
        .add_phone(&token, "FR", "06 12 34 56 78", DtoDelivery::Sms)
        .await
        .expect("add");
    let code = t.last_code(NEW_PHONE).await;
    lose(&t, "POST", "/idp/myaccount/phones/", "cut").await;
    assert_eq!(
        registration
            .confirm(&token, &secret(&code))
            .await
            .unwrap_err(),
        unknown(Unconfirmed::MethodChanged)
    );
    let view = registration
        .view(&token)
        .await
        .expect("the list, read again");
    assert!(view.pending.is_none(), "no code step to submit again");
    assert_eq!(view.methods.len(), 1, "the phone was confirmed after all");
}

#[tokio::test]
async fn lost_graph_changes_are_unknown_not_a_wrong_password() {
    let t = start().await;
    let graph = Graph::new(&t.url("/v1.0"), http()).expect("graph");
    let token = secret(&t.access_token(NEW_USER, GRAPH_SCOPES).await);
    lose(&t, "POST", "/v1.0/me/changePassword", "cut").await;
    let new = secret("Fresh-Otter-77");
    let error = graph
        .change_password(&token, &secret(PASSWORD), &new)
        .await
        .unwrap_err();
    assert_eq!(error, unknown(Unconfirmed::PasswordChanged));
    assert_eq!(received(&t, "POST", "/v1.0/me/changePassword").await, 1);
    t.sign_in_as(NEW_USER, "Fresh-Otter-77", "openid").await;

    let token = secret(&t.access_token(REGISTERED, GRAPH_SCOPES).await);
    let phone = graph
        .methods(&token)
        .await
        .expect("methods")
        .into_iter()
        .find_map(|m| match m {
            AuthMethod::Phone { id, .. } => Some(id),
            _ => None,
        })
        .expect("a phone");
    lose(&t, "DELETE", "/v1.0/me/authentication/phoneMethods/", "cut").await;
    assert_eq!(
        graph.remove_phone(&token, &phone).await.unwrap_err(),
        unknown(Unconfirmed::MethodChanged)
    );
    assert!(!graph
        .methods(&token)
        .await
        .expect("methods")
        .iter()
        .any(|m| matches!(m, AuthMethod::Phone { .. })));
    assert_eq!(
        received(&t, "DELETE", "/v1.0/me/authentication/phoneMethods/").await,
        1
    );
}

#[tokio::test]
async fn reads_and_requests_that_never_left_stay_retryable() {
    let t = start().await;
    let okta = okta(&t);
    let token = secret(&t.access_token(NEW_USER, MYACCOUNT_SCOPES).await);
    lose(&t, "GET", "/idp/myaccount/phones", "hang").await;
    let error = okta.phones(&token).await.unwrap_err();
    assert_eq!(error, ProviderError::Http(HttpError::Timeout));
    assert_eq!(error.code().next_step(), NextStep::Retry);

    // Nobody listens: the request was never written.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let nowhere = Okta::for_issuer(&format!("http://127.0.0.1:{closed}/oauth2/default"), http())
        .expect("okta");
    let error = nowhere
        .recovery_start(REGISTERED, RecoveryFactor::Sms)
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::Http(HttpError::Unreachable));
    assert_eq!(error.code(), ErrorCode::ProviderUnreachable);
    assert_eq!(error.code().next_step(), NextStep::Retry);
}

/// A loopback server that reads one request, then does `then` with the socket; counts requests.
async fn raw_server(
    then: fn(tokio::net::TcpStream) -> tokio::task::JoinHandle<()>,
) -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            if socket.read(&mut buf).await.is_ok_and(|n| n > 0) {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            then(socket);
        }
    });
    (port, seen)
}

#[tokio::test]
async fn a_connection_closed_before_any_answer_is_unknown_and_not_retried() {
    let (port, seen) = raw_server(|socket| tokio::spawn(async move { drop(socket) })).await;
    let okta =
        Okta::for_issuer(&format!("http://127.0.0.1:{port}/oauth2/default"), http()).expect("okta");
    assert_eq!(
        okta.recovery_start(REGISTERED, RecoveryFactor::Sms)
            .await
            .unwrap_err(),
        unknown(Unconfirmed::CodeSent)
    );
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refused_tls_handshake_sent_nothing() {
    // Plain text where a TLS server hello should be: the handshake fails before any request.
    let (port, seen) = raw_server(|mut socket| {
        tokio::spawn(async move {
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        })
    })
    .await;
    let okta = Okta::for_issuer(&format!("https://127.0.0.1:{port}/oauth2/default"), http())
        .expect("okta");
    let error = okta
        .recovery_start(REGISTERED, RecoveryFactor::Sms)
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::Http(HttpError::Tls));
    assert!(HttpError::Tls.nothing_sent());
    assert_eq!(
        seen.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the client hello, not a request"
    );
}
