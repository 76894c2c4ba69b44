//! The Entra adapter end to end in the core, against the sandbox's Entra flavour over loopback:
//! sign-in through the Microsoft identity platform v2.0 (domain and `organizations` authorities,
//! the `http://localhost` redirect, AADSTS refusals), then the registration hand-off view,
//! the expiry reminder on the provider's clock, and changing the password.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[allow(clippy::unwrap_used)]
#[path = "../../sandbox/tests/common/mod.rs"]
mod sandbox;

use std::sync::Arc;
use std::time::Duration;

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::auth::{AuthError, Platform, Session, SignIn, SignInSettings};
use latchkey_core::dto::ExpiryState;
use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
use latchkey_core::journeys::password;
use latchkey_core::locale::Language;
use latchkey_core::ports::SystemClock;
use latchkey_core::providers::entra::{Entra, SCOPES as ENTRA_SCOPES};
use latchkey_core::providers::graph::{graph_refusal, Graph, GraphCall};
use latchkey_core::providers::ProviderError;
use sandbox::*;
use secrecy::{ExposeSecret, SecretString};

fn http() -> HttpClient {
    HttpClient::new(Timeouts::default()).expect("client")
}

async fn discover(t: &Tenant, tenant: &str) -> Result<SignIn, AuthError> {
    let settings = SignInSettings {
        client_id: "latchkey-demo".into(),
        scopes: ["profile", "email", "offline_access"]
            .iter()
            .chain(ENTRA_SCOPES)
            .map(|s| (*s).to_owned())
            .collect(),
        timeout: Duration::from_secs(20),
        redirect_port: None,
        language: Language::En,
        platform: Platform::Microsoft,
    };
    let authority = format!("{}/{tenant}/v2.0", t.sandbox.authority_host());
    SignIn::discover(&authority, settings, http(), Arc::new(SystemClock)).await
}

/// Signs `username` in as the browser would: the sign-in page, then the redirect to localhost.
async fn sign_in(t: &Tenant, signin: &SignIn, username: &str) -> Result<Session, AuthError> {
    let pending = signin.start(Some(username)).await?;
    let url = pending.authorize_url().to_owned();
    assert!(
        url.contains("redirect_uri=http%3A%2F%2Flocalhost%3A"),
        "Entra's registered redirect is http://localhost: {url}"
    );
    assert!(
        !url.contains("prompt=consent"),
        "admin consent must not be asked again"
    );
    let browser = async {
        let tx = t.sign_in_page(&url).await;
        let form = t
            .http
            .post(url.split('?').next().unwrap_or_default())
            .form(&[
                ("tx", tx.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("action", "sign_in"),
            ])
            .send()
            .await
            .expect("form");
        let back = Tenant::callback(&form);
        assert_eq!(back.host_str(), Some("localhost"));
        reqwest::get(back.as_str()).await.expect("callback");
    };
    let (session, ()) = tokio::join!(pending.finish(std::future::pending()), browser);
    session
}

#[tokio::test]
async fn signs_in_with_a_domain_or_organizations_authority() {
    let t = start().await;
    for tenant in ["contoso.example", "organizations"] {
        let signin = discover(&t, tenant).await.expect("discovery");
        let session = sign_in(&t, &signin, REGISTERED).await.expect(tenant);
        assert_eq!(session.identity.username.as_deref(), Some(REGISTERED));
        assert!(session.tokens.refresh_token.is_some(), "offline_access");
    }
    assert_eq!(
        discover(&t, "fabrikam.example").await.err(),
        Some(AuthError::Misconfigured),
        "an unknown tenant (AADSTS90002) is a configuration error"
    );
}

#[tokio::test]
async fn aadsts_refusals_are_named() {
    let t = start().await;
    let signin = discover(&t, "contoso.example").await.expect("discovery");
    for (code, expected) in [
        (
            65001,
            AuthError::ConsentRequired {
                aadsts: Some(65001),
            },
        ),
        (53003, AuthError::ConditionalAccess { aadsts: 53003 }),
        (50020, AuthError::UserNotInTenant { aadsts: 50020 }),
        // Outside the old 53000..=53011 range, and MFA required: generic before.
        (530035, AuthError::ConditionalAccess { aadsts: 530035 }),
        (50076, AuthError::ConfirmIdentity { aadsts: 50076 }),
    ] {
        let set = t
            .http
            .post(t.url("/sandbox/aadsts"))
            .body(format!("{{\"username\":\"{NEW_USER}\",\"code\":{code}}}"))
            .send()
            .await
            .expect("fault");
        assert!(set.status().is_success());
        let error = sign_in(&t, &signin, NEW_USER).await.expect_err("refused");
        assert_eq!(error, expected);
        assert_eq!(error.details(), vec![format!("AADSTS{code}")]);
    }
}

fn graph(t: &Tenant) -> Graph {
    Graph::new(&t.url("/v1.0"), http()).expect("graph")
}

/// The Entra provider the app builds for the sandbox's Entra flavour.
fn entra(t: &Tenant) -> Entra {
    Entra {
        authority: format!("{}/contoso.example/v2.0", t.sandbox.authority_host()),
        graph: graph(t),
        security_info: t.url("/mysignins/security-info"),
        reset_portal: t.url("/passwordreset/"),
    }
}

async fn token(t: &Tenant, username: &str) -> SecretString {
    let signin = discover(t, "contoso.example").await.expect("discovery");
    sign_in(t, &signin, username)
        .await
        .expect("session")
        .tokens
        .access_token
}

#[tokio::test]
async fn registration_hands_off_to_security_info_and_sees_what_was_added() {
    let t = start().await;
    let token = token(&t, NEW_USER).await;
    let reconfirm = Reconfirm {
        every_days: 180,
        record: None,
    };
    let mut r = Registration::new(Arc::new(entra(&t)), 2, reconfirm);
    let view = r.view(&token).await.expect("view");
    assert_eq!(
        view.handoff.as_deref(),
        Some(t.url("/mysignins/security-info").as_str())
    );
    assert!(!view.complete && view.methods.is_empty());
    assert_eq!(
        r.add_email(&token, "nina@example.net").await.unwrap_err(),
        ProviderError::NotAllowed,
        "Graph does not let users add methods"
    );
    // That answer comes from the journey, which knows Entra has no enrolment; Graph's own
    // refusal of the add, read by the client's mapping, says the same.
    let refused = t
        .http
        .post(t.url("/v1.0/me/authentication/emailMethods"))
        .header("authorization", format!("Bearer {}", token.expose_secret()))
        .json(&serde_json::json!({ "emailAddress": "nina@example.net" }))
        .send()
        .await
        .expect("post");
    let status = refused.status();
    let headers = refused.headers().clone();
    let body = refused.bytes().await.expect("body");
    assert_eq!(
        graph_refusal(GraphCall::AddMethod, status, &headers, &body),
        ProviderError::NotAllowed
    );
    // The user adds a phone and an e-mail on Microsoft's page.
    let added = t
        .http
        .post(t.url("/mysignins/security-info"))
        .form(&[
            ("username", NEW_USER),
            ("password", PASSWORD),
            ("phone", "+33 6 12 34 56 78"),
            ("email", "nina@example.net"),
        ])
        .send()
        .await
        .expect("security info");
    assert!(added.status().is_success());
    let view = r.view(&token).await.expect("view");
    assert!(view.complete, "{view:?}");
    let masked: Vec<&str> = view.methods.iter().map(|m| m.masked.as_str()).collect();
    assert_eq!(masked, ["+33 •• •• •• •• 78", "n•••@example.net"]);
    // Removing goes through Graph's DELETE; an id that is not the user's is refused.
    assert_eq!(
        r.remove(&token, "not-a-method").await.unwrap_err(),
        ProviderError::NotAllowed
    );
    let phone = view.methods[0].id.clone();
    let view = r.remove(&token, &phone).await.expect("removed");
    assert!(!view.complete);
    assert_eq!(view.methods.len(), 1);
}

#[tokio::test]
async fn expiry_is_counted_on_the_providers_clock_after_one_silent_refresh() {
    // Changed 60 days before the tenant's today; the seed's domain keeps passwords 90 days.
    let changed = (chrono::Utc::now() - chrono::Duration::days(60))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let t = start_with(seed_with(
        "password_changed = \"2026-09-01T09:00:00Z\"\nregistered",
        &format!("password_changed = \"{changed}\"\nregistered"),
    ))
    .await;
    let signin = discover(&t, "contoso.example").await.expect("discovery");
    let session = sign_in(&t, &signin, REGISTERED).await.expect("session");
    let g = entra(&t);
    let token = session.tokens.access_token;
    let before = password::expiry(&g, &token, Some(REGISTERED), 14)
        .await
        .expect("expiry");
    assert_eq!(
        (before.state, before.days_left, before.remind),
        (ExpiryState::Expires, Some(30), false)
    );
    t.advance_clock(17 * 86_400).await;
    // The access token lived an hour of the tenant's time: Graph says 401 ...
    assert_eq!(
        password::expiry(&g, &token, Some(REGISTERED), 14)
            .await
            .unwrap_err(),
        ProviderError::SignInRequired
    );
    // ... and the one silent refresh gets a new one (the ID token is not re-verified, so the
    // jump of the tenant's clock is no skew here).
    let refresh = session.tokens.refresh_token.expect("refresh token");
    let renewed = signin.refresh(&refresh).await.expect("silent refresh");
    let after = password::expiry(&g, &renewed.access_token, Some(REGISTERED), 14)
        .await
        .expect("expiry");
    assert_eq!((after.days_left, after.remind), (Some(13), true));
}

#[tokio::test]
async fn change_password_checks_entras_rules_first() {
    let t = start().await;
    let token = token(&t, NEW_USER).await;
    let g = entra(&t);
    let secret = |s: &str| SecretString::from(s.to_owned());
    assert_eq!(
        password::change(&g, &token, &secret(PASSWORD), &secret("Vélvet-Otter-2026")).await,
        Err(ProviderError::PasswordRejected {
            reasons: Vec::new()
        }),
        "Unicode is refused before Graph is asked"
    );
    assert_eq!(
        password::change(&g, &token, &secret("not-it"), &secret("Velvet-Otter-2026!")).await,
        Err(ProviderError::CurrentPasswordWrong)
    );
    password::change(&g, &token, &secret(PASSWORD), &secret("Velvet-Otter-2026!"))
        .await
        .expect("changed");
}

/// Removing a method through the journey after the sign-in aged past 10 minutes: Graph's claims
/// challenge reaches the user as "confirm it's you", with "sign in again" as the way forward.
#[tokio::test]
async fn removing_a_method_after_10_minutes_asks_to_confirm_identity() {
    let t = start().await;
    let token = token(&t, REGISTERED).await;
    let reconfirm = Reconfirm {
        every_days: 180,
        record: None,
    };
    let mut r = Registration::new(Arc::new(entra(&t)), 2, reconfirm);
    let view = r.view(&token).await.expect("view");
    t.advance_clock(11 * 60).await;
    let error = r.remove(&token, &view.methods[1].id).await.unwrap_err();
    assert_eq!(error, ProviderError::ConfirmIdentity);
    assert_eq!(
        error.code().next_step(),
        latchkey_core::codes::NextStep::SignInAgain
    );
}

/// The domain's policy unreadable (403 for members; `null`, Learn's example get-domain.json):
/// the expiry is "unknown", not an error and not a guess of 90 days.
#[tokio::test]
async fn expiry_is_unknown_when_the_domain_says_nothing_or_refuses() {
    for (from, to) in [
        (
            "password_validity_set = true",
            "password_validity_set = false",
        ),
        (
            "members_read_domains = true",
            "members_read_domains = false",
        ),
    ] {
        let t = start_with(seed_with(from, to)).await;
        let token = token(&t, REGISTERED).await;
        let expiry = password::expiry(&entra(&t), &token, Some(REGISTERED), 14)
            .await
            .expect(to);
        assert_eq!(
            (expiry.state, expiry.remind),
            (ExpiryState::Unknown, false),
            "{to}"
        );
    }
}

/// Entra keeps a used refresh token valid (Learn, refresh-tokens): a second refresh with the
/// same one works, where the sandbox used to revoke the family.
#[tokio::test]
async fn a_refresh_token_may_be_used_twice() {
    let t = start().await;
    let signin = discover(&t, "contoso.example").await.expect("discovery");
    let session = sign_in(&t, &signin, REGISTERED).await.expect("session");
    let refresh = session.tokens.refresh_token.expect("refresh token");
    signin.refresh(&refresh).await.expect("first refresh");
    signin
        .refresh(&refresh)
        .await
        .expect("the same token again");
}
