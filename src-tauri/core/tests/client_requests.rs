//! What Latchkey's client sends, held against the vendors' request schemas: the Okta MyAccount
//! and Microsoft Graph calls of registration, removal, expiry and change of password, driven
//! against the sandbox, whose request log (`GET /sandbox/requests`) is then checked with the
//! vendored specs (`tests/contract/specs/`). A body field the vendor does not define, a
//! misspelt one or a wrong type fails here even when the sandbox was lenient about it.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[path = "../../sandbox/tests/common/mod.rs"]
#[allow(clippy::unwrap_used)]
mod sandbox;

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::providers::graph::Graph;
use latchkey_core::providers::okta::myaccount::Delivery;
use latchkey_core::providers::okta::Okta;
use sandbox::*;
use secrecy::SecretString;

fn http() -> HttpClient {
    HttpClient::new(Timeouts::default()).expect("client")
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// Checks the tenant's request log and returns how many requests a spec described.
async fn requests_conform(t: &Tenant) -> usize {
    let log = t.get_json("/sandbox/requests").await;
    let report = latchkey_contract::check_requests(&log);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    report.checked
}

#[tokio::test]
async fn okta_myaccount_requests_follow_the_request_schemas() {
    let t = start().await;
    let okta = Okta::for_issuer(&t.sandbox.issuer(), http()).expect("okta");
    let token = secret(
        &t.access_token(
            NEW_USER,
            "okta.myAccount.phone.manage okta.myAccount.email.manage",
        )
        .await,
    );
    let phone = okta
        .add_phone(&token, "+33612345678", Delivery::Sms)
        .await
        .expect("add");
    let code = t.last_code("+33612345678").await;
    okta.verify_phone(&token, &phone.id, &secret(&wrong(&code)))
        .await
        .expect_err("a wrong code");
    okta.verify_phone(&token, &phone.id, &secret(&code))
        .await
        .expect("verify");
    let email = okta
        .add_email(&token, "nina@example.net")
        .await
        .expect("add email");
    let challenge = okta
        .send_email_code(&token, &email.id)
        .await
        .expect("challenge");
    let code = t.last_code("nina@example.net").await;
    okta.verify_email(&token, &email.id, &challenge, &secret(&code))
        .await
        .expect("verify email");
    okta.phones(&token).await.expect("phones");
    okta.emails(&token).await.expect("emails");
    okta.remove_email(&token, &email.id).await.expect("remove");
    okta.remove_phone(&token, &phone.id).await.expect("remove");
    // The token requests of the sign-in above are checked too (`/oauth2/default/v1/token`).
    let checked = requests_conform(&t).await;
    assert!(checked >= 12, "only {checked} requests checked");
}

#[tokio::test]
async fn graph_requests_follow_the_request_schemas() {
    let t = start().await;
    let graph = Graph::new(&t.url("/v1.0"), http()).expect("graph");
    let token = secret(
        &t.access_token(
            REGISTERED,
            "User.Read UserAuthenticationMethod.ReadWrite Directory.AccessAsUser.All Domain.Read.All",
        )
        .await,
    );
    let methods = graph.methods(&token).await.expect("methods");
    assert!(!methods.is_empty());
    graph.password_age(&token).await.expect("age");
    graph
        .password_validity_days(&token, "contoso.example")
        .await
        .expect("validity");
    graph
        .change_password(&token, &secret(PASSWORD), &secret("Ünïcode-Contract-2026"))
        .await
        .expect("change");
    let checked = requests_conform(&t).await;
    assert!(checked >= 5, "only {checked} requests checked");
}
