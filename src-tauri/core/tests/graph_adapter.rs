//! The Microsoft Graph adapter against the sandbox tenant's Graph surface over loopback HTTP:
//! methods, refused self-service adds, deletes, change password, expiry inputs, OData errors.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[allow(clippy::unwrap_used)]
#[path = "../../sandbox/tests/common/mod.rs"]
mod sandbox;

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::providers::graph::{AuthMethod, Graph};
use latchkey_core::providers::ProviderError;
use sandbox::*;
use secrecy::SecretString;

fn graph(t: &Tenant) -> Graph {
    let http = HttpClient::new(Timeouts::default()).expect("client");
    Graph::new(&t.url("/v1.0"), http).expect("graph")
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

const SCOPES: &str =
    "User.Read UserAuthenticationMethod.ReadWrite Directory.AccessAsUser.All Domain.Read.All";

#[tokio::test]
async fn methods_are_read_and_deleted() {
    let t = start().await;
    let g = graph(&t);
    let token = secret(&t.access_token(REGISTERED, SCOPES).await);
    let methods = g.methods(&token).await.expect("methods");
    assert_eq!(methods[0], AuthMethod::Password);
    let Some(AuthMethod::Phone { id, number, kind }) = methods
        .iter()
        .find(|m| matches!(m, AuthMethod::Phone { .. }))
        .cloned()
    else {
        panic!("no phone in {methods:?}")
    };
    assert_eq!(
        (number.as_str(), kind.as_str()),
        ("+1 4255550123", "mobile")
    );
    assert!(methods
        .iter()
        .any(|m| matches!(m, AuthMethod::Email { address, .. } if address == REGISTERED_EMAIL)));
    g.remove_phone(&token, &id).await.expect("delete");
    assert!(!g
        .methods(&token)
        .await
        .expect("methods")
        .iter()
        .any(|m| matches!(m, AuthMethod::Phone { .. })));
    assert!(matches!(
        g.remove_phone(&token, &id).await,
        Err(ProviderError::Unexpected { status: 404 })
    ));
}

#[tokio::test]
async fn change_password_and_its_refusals() {
    let t = start().await;
    let g = graph(&t);
    let token = secret(&t.access_token(NEW_USER, SCOPES).await);
    assert_eq!(
        g.change_password(&token, &secret("wrong"), &secret("Fresh-Otter-77"))
            .await
            .unwrap_err(),
        ProviderError::CurrentPasswordWrong
    );
    assert!(matches!(
        g.change_password(&token, &secret(PASSWORD), &secret("weak"))
            .await,
        Err(ProviderError::PasswordRejected { .. })
    ));
    g.change_password(&token, &secret(PASSWORD), &secret("Fresh-Otter-77"))
        .await
        .expect("changed");
    let age = g.password_age(&token).await.expect("age");
    assert!(age.last_changed.is_some_and(
        |d| d.date_naive() >= chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
    ));
    assert!(!age.never_expires);
    assert_eq!(
        g.password_validity_days(&token, "contoso.example")
            .await
            .expect("domain"),
        Some(90)
    );
}

#[tokio::test]
async fn errors_in_the_users_terms() {
    let t = start_with(seed_with(
        "graph = { requests = 120, window_seconds = 60 }",
        "graph = { requests = 2, window_seconds = 60 }",
    ))
    .await;
    let g = graph(&t);
    assert_eq!(
        g.methods(&secret("forged")).await.unwrap_err(),
        ProviderError::SignInRequired
    );
    let read_only = secret(&t.access_token(NEW_USER, "User.Read").await);
    let ProviderError::PermissionMissing {
        permission,
        request_id,
    } = g.methods(&read_only).await.unwrap_err()
    else {
        panic!("expected PermissionMissing");
    };
    assert_eq!(permission, Some("UserAuthenticationMethod.Read"));
    assert!(
        request_id.is_some_and(|id| id.len() == 36),
        "Graph's request id is kept"
    );
    // The budget is 2 calls a minute: the third is throttled, with the wait Graph names.
    g.password_age(&read_only).await.expect("second call");
    match g.password_age(&read_only).await.unwrap_err() {
        ProviderError::RateLimited { retry_after } => assert!((1..=60).contains(&retry_after)),
        other => panic!("{other:?}"),
    }
}

/// The sandbox's `/me/authentication/*` at the tenant's URL, for the client's paging and errors.
const WRITE: &str = "UserAuthenticationMethod.ReadWrite";

/// Managing one's own methods needs MFA within 10 minutes (Learn, phoneauthenticationmethod-
/// delete); Graph's claims challenge used to reach the user as "IT must grant a permission"
/// (403) or "sign in again" (401).
#[tokio::test]
async fn a_stale_sign_in_is_asked_to_confirm_identity() {
    let t = start().await;
    let g = graph(&t);
    let token = secret(&t.access_token(REGISTERED, WRITE).await);
    t.advance_clock(11 * 60).await;
    assert_eq!(
        g.remove_email(&token, "3ddfcfc8-9383-446f-83cc-3ab9be4be18f")
            .await
            .unwrap_err(),
        ProviderError::ConfirmIdentity
    );
    assert_eq!(
        ProviderError::ConfirmIdentity.code(),
        latchkey_core::codes::ErrorCode::ConfirmIdentity
    );
}

/// The default MFA method cannot be deleted (observed-default-method-delete-error.json); the
/// client said "try again in a few minutes", which never helps.
#[tokio::test]
async fn the_default_method_is_in_use() {
    let t = start_with(seed_with(
        "phones = [{ number = \"+14255550123\", kind = \"mobile\" }]",
        "phones = [{ number = \"+14255550123\", kind = \"mobile\" }]\ndefault_method = \"mobile\"",
    ))
    .await;
    let g = graph(&t);
    let token = secret(&t.access_token(REGISTERED, WRITE).await);
    assert_eq!(
        g.remove_phone(&token, "3179e48a-750b-4051-897c-87b9720928f7")
            .await
            .unwrap_err(),
        ProviderError::MethodInUse
    );
}

/// `@odata.nextLink` was ignored: with one method a page, only the password was seen.
#[tokio::test]
async fn every_page_of_methods_is_read() {
    let t = start_with(seed_with("page_size = 0", "page_size = 1")).await;
    let g = graph(&t);
    let token = secret(&t.access_token(REGISTERED, WRITE).await);
    let methods = g.methods(&token).await.expect("methods");
    assert_eq!(methods.len(), 3, "{methods:?}");
    assert!(methods
        .iter()
        .any(|m| matches!(m, AuthMethod::Email { address, .. } if address == REGISTERED_EMAIL)));
}

/// get-domain.json: `passwordValidityPeriodInDays: null` is no number of days.
#[tokio::test]
async fn a_domain_without_a_validity_period_gives_none() {
    let t = start_with(seed_with(
        "password_validity_set = true",
        "password_validity_set = false",
    ))
    .await;
    let g = graph(&t);
    let token = secret(&t.access_token(NEW_USER, "Domain.Read.All").await);
    assert_eq!(
        g.password_validity_days(&token, "contoso.example")
            .await
            .expect("domain"),
        None
    );
}
