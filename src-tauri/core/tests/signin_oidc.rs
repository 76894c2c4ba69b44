//! Sign-in against a real, independent OpenID Provider (oidc-provider on loopback), and every
//! bad input of the sign-in catalogue. Each failure must end in a typed error with the loopback
//! listener closed and no secret in the error.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod support;

use std::future::pending;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use latchkey_core::auth::http::HttpError;
use latchkey_core::auth::{AuthError, SignIn};
use latchkey_core::ports::SystemClock;
use secrecy::{ExposeSecret, SecretString};
use support::*;
use tokio::io::AsyncWriteExt;
use url::Url;

/// Runs one sign-in with `browser` and returns the result and the port it listened on.
async fn sign_in(
    signin: &SignIn,
    browser: &ScriptedBrowser,
    hint: &str,
) -> (Result<latchkey_core::auth::Session, AuthError>, u16) {
    let pending = signin.start(Some(hint)).await.expect("start");
    pending.open_browser(browser).expect("browser");
    let port = pending.port();
    (pending.finish(pending_forever()).await, port)
}

fn pending_forever() -> impl std::future::Future<Output = ()> {
    pending::<()>()
}

/// The error, the closed port, and no trace of the code or state in what we would show or log.
async fn assert_failed_cleanly(
    result: Result<latchkey_core::auth::Session, AuthError>,
    port: u16,
    browser: &ScriptedBrowser,
) -> AuthError {
    let error = result.expect_err("sign-in must fail");
    // The receiver's connection tasks are aborted as it returns; their sockets close as the
    // runtime drops them, so the port may need a moment to refuse.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
    while is_listening(port).await && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        !is_listening(port).await,
        "listener still open after {error:?}"
    );
    if let Some(callback) = browser.log().callback {
        for (name, value) in callback.query_pairs() {
            if name == "code" || name == "state" {
                let shown = format!("{error} {error:?}");
                assert!(
                    !shown.contains(value.as_ref()),
                    "{name} leaked into {shown}"
                );
            }
        }
    }
    error
}

// ---- Refresh without an ID token, claims from UserInfo, and extreme values (issue 16) ----

/// Signs `user` in at `op` (started with `env`) and returns the provider, the set-up and the
/// session.
async fn signed_in(
    env: &[(&str, &str)],
    user: &str,
) -> (OidcProvider, SignIn, latchkey_core::auth::Session) {
    let op = OidcProvider::start_with(env).await;
    let signin = discover(&op.issuer).await;
    let (result, _) = sign_in(&signin, &ScriptedBrowser::default(), user).await;
    (op, signin, result.expect("signed in"))
}

/// How many requests came to the provider's UserInfo endpoint.
async fn userinfo_reads(op: &OidcProvider) -> u64 {
    let reads: serde_json::Value = reqwest::get(format!("{}/test/userinfo-reads", op.issuer))
        .await
        .expect("reads")
        .json()
        .await
        .expect("json");
    reads["reads"].as_u64().expect("a count")
}

/// `refresh_session`, recording what it handed over to keep.
async fn refresh_keeping(
    signin: &SignIn,
    token: &SecretString,
) -> (
    Result<latchkey_core::auth::Session, AuthError>,
    Option<SecretString>,
) {
    let mut kept = None;
    let result = signin
        .refresh_session(token, |rotated| kept = Some(rotated.clone()))
        .await;
    (result, kept)
}

fn refresh_token(session: &latchkey_core::auth::Session) -> SecretString {
    session
        .tokens
        .refresh_token
        .clone()
        .expect("refresh token (offline_access)")
}

/// OIDC Core §12.2: a refresh may answer without an ID token. The kept sign-in goes on: who
/// signed in comes from UserInfo, and the rotated refresh token is handed over and works.
#[tokio::test]
async fn a_refresh_without_an_id_token_keeps_the_sign_in() {
    let (_op, signin, session) =
        signed_in(&[("LATCHKEY_TEST_REFRESH", "no-id-token")], "alice").await;
    let first = refresh_token(&session);
    let (result, kept) = refresh_keeping(&signin, &first).await;
    let silent = result.expect("a silent sign-in without an ID token");
    assert_eq!(silent.identity.subject, "alice");
    assert_eq!(silent.identity.name.as_deref(), Some("alice"));
    let kept = kept.expect("the rotated refresh token was handed over");
    assert_ne!(kept.expose_secret(), first.expose_secret());
    assert_eq!(
        silent
            .tokens
            .refresh_token
            .as_ref()
            .map(ExposeSecret::expose_secret),
        Some(kept.expose_secret())
    );
    let (again, _) = refresh_keeping(&signin, &kept).await;
    assert_eq!(
        again.expect("the kept token works").identity.subject,
        "alice"
    );
}

/// The refreshed ID token fails its checks after the provider has spent the kept token: the
/// rotated one was handed over first, so the sign-in can still be kept.
#[tokio::test]
async fn a_rotated_refresh_token_is_handed_over_before_anything_can_fail() {
    let (_op, signin, session) =
        signed_in(&[("LATCHKEY_TEST_REFRESH", "bad-id-token")], "alice").await;
    let first = refresh_token(&session);
    let (result, kept) = refresh_keeping(&signin, &first).await;
    assert_eq!(result.unwrap_err(), AuthError::InvalidIdToken);
    let kept = kept.expect("handed over before the ID token was checked");
    assert_ne!(kept.expose_secret(), first.expose_secret());
    let renewed = signin.refresh(&kept).await.expect("the kept token is live");
    assert!(!renewed.access_token.expose_secret().is_empty());
}

/// The login-time check gives up after its budget, here while UserInfo is slow to say who
/// signed in: the rotated refresh token was already handed over.
#[tokio::test]
async fn a_budget_running_out_after_the_rotation_loses_no_token() {
    let env = [
        ("LATCHKEY_TEST_REFRESH", "no-id-token"),
        ("LATCHKEY_TEST_CLAIMS", "id-token"),
        ("LATCHKEY_TEST_USERINFO", "slow"),
    ];
    let (_op, signin, session) = signed_in(&env, "alice").await;
    let first = refresh_token(&session);
    let mut kept = None;
    let budget = tokio::time::timeout(
        Duration::from_secs(1),
        signin.refresh_session(&first, |rotated| kept = Some(rotated.clone())),
    )
    .await;
    assert!(budget.is_err(), "UserInfo is slower than the budget");
    let kept = kept.expect("handed over before the budget ran out");
    assert_ne!(kept.expose_secret(), first.expose_secret());
    signin.refresh(&kept).await.expect("the kept token is live");
}

/// A provider that keeps the refresh token (no new one in the answer, RFC 6749 §6): the tokens
/// carry the one used, where none would make the app forget the kept sign-in.
#[tokio::test]
async fn an_unrotated_refresh_token_stays_in_the_session() {
    let (_op, signin, session) =
        signed_in(&[("LATCHKEY_TEST_REFRESH", "unrotated")], "alice").await;
    let first = refresh_token(&session);
    let renewed = signin.refresh(&first).await.expect("refresh");
    let next = renewed.refresh_token.expect("a refresh token to use next");
    assert_eq!(next.expose_secret(), first.expose_secret());
    let (silent, kept) = refresh_keeping(&signin, &first).await;
    let silent = silent.expect("silent sign-in");
    assert!(kept.is_none(), "nothing new to keep");
    assert_eq!(
        silent
            .tokens
            .refresh_token
            .as_ref()
            .map(ExposeSecret::expose_secret),
        Some(first.expose_secret())
    );
}

/// oidc-provider keeps `name` and `email` out of its ID tokens (`conformIdTokenClaims`):
/// UserInfo fills them in, at sign-in and at a silent sign-in, and the user is not greeted by
/// their `sub`.
#[tokio::test]
async fn display_claims_only_in_userinfo_are_read_from_it() {
    let (op, signin, session) = signed_in(&[], "alice").await;
    assert_eq!(session.identity.subject, "alice");
    assert_eq!(session.identity.name.as_deref(), Some("alice"));
    assert_eq!(
        session.identity.email.as_deref(),
        Some("alice@contoso.example")
    );
    assert_eq!(userinfo_reads(&op).await, 1);
    let (silent, _) = refresh_keeping(&signin, &refresh_token(&session)).await;
    let silent = silent.expect("silent sign-in");
    assert_eq!(silent.identity.name.as_deref(), Some("alice"));
    assert_eq!(userinfo_reads(&op).await, 2);
}

/// Display claims in the ID token: no UserInfo request at all.
#[tokio::test]
async fn display_claims_in_the_id_token_need_no_userinfo() {
    let (op, _signin, session) = signed_in(&[("LATCHKEY_TEST_CLAIMS", "id-token")], "bob").await;
    assert_eq!(session.identity.name.as_deref(), Some("bob"));
    assert_eq!(
        session.identity.email.as_deref(),
        Some("bob@contoso.example")
    );
    assert_eq!(userinfo_reads(&op).await, 0);
}

/// UserInfo about another subject is ignored (OIDC Core §5.3.2), and a failing UserInfo does
/// not fail the sign-in: the ID token's identity stands.
#[tokio::test]
async fn userinfo_about_someone_else_or_failing_is_ignored() {
    for mode in ["other-sub", "fail"] {
        let (op, _signin, session) = signed_in(&[("LATCHKEY_TEST_USERINFO", mode)], "alice").await;
        assert_eq!(session.identity.subject, "alice", "{mode}");
        assert_eq!(session.identity.name, None, "{mode}");
        assert_eq!(session.identity.email, None, "{mode}");
        assert_eq!(userinfo_reads(&op).await, 1, "{mode}: it was asked");
    }
}

/// `expires_in` of u64::MAX: a bounded expiry, not a panic, at sign-in and at refresh.
#[tokio::test]
async fn an_endless_token_lifetime_is_capped() {
    let env = [("LATCHKEY_TEST_EXPIRES_IN", "18446744073709551615")];
    let (_op, signin, session) = signed_in(&env, "alice").await;
    // The core believes no access token lives longer than a day.
    let day = Duration::from_secs(24 * 60 * 60);
    let expires = session.tokens.expires_at.expect("an expiry");
    assert!(expires <= SystemTime::now() + day, "{expires:?}");
    let renewed = signin
        .refresh(&refresh_token(&session))
        .await
        .expect("refresh");
    let expires = renewed.expires_at.expect("an expiry");
    assert!(expires <= SystemTime::now() + day, "{expires:?}");
    assert!(expires > SystemTime::now() + day / 2, "capped, not zeroed");
}

/// ID-token times at the ends of the calendar: `iat` in year 1 with `exp` in 9999 signs in;
/// `iat` in 9999 is a skewed clock, not a panic.
#[tokio::test]
async fn id_token_times_in_year_1_and_9999() {
    let (_op, _signin, session) = signed_in(&[("LATCHKEY_TEST_TAMPER", "ancient")], "alice").await;
    assert_eq!(session.identity.subject, "alice");
    let op = OidcProvider::start_with(&[("LATCHKEY_TEST_TAMPER", "future")]).await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::default();
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::ClockSkew
    );
}

// ---- end of issue 16 block ----

#[tokio::test]
async fn full_flow_signs_in_and_refreshes() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::default();
    let started = Instant::now();
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    let elapsed = started.elapsed();
    let session = result.expect("signed in");
    eprintln!("one full sign-in against oidc-provider took {elapsed:?}");
    assert_eq!(session.identity.subject, "alice");
    assert!(!session.tokens.access_token.expose_secret().is_empty());
    let refresh = session
        .tokens
        .refresh_token
        .as_ref()
        .expect("refresh token (offline_access)");
    // The listener took exactly one callback and closed.
    assert!(!is_listening(port).await);
    browser.finished().await;
    let log = browser.log();
    assert_eq!(log.page_status, Some(200));
    let page = log.page.expect("page");
    assert!(page.contains("You can return to Latchkey"), "{page}");
    let callback = log.callback.expect("callback");
    let code = callback
        .query_pairs()
        .find(|(k, _)| k == "code")
        .expect("code")
        .1
        .into_owned();
    assert!(!page.contains(&code), "the page echoes the code");
    assert!(
        !format!("{session:?}").contains(refresh.expose_secret()),
        "Debug shows a token"
    );
    // A second callback (reload, replay) finds the port closed.
    assert!(reqwest::get(callback).await.is_err());

    // Refresh works, and the provider rotates the refresh token.
    let renewed = signin.refresh(refresh).await.expect("refresh");
    assert!(!renewed.access_token.expose_secret().is_empty());
    let rotated = renewed.refresh_token.expect("rotated refresh token");
    assert_ne!(rotated.expose_secret(), refresh.expose_secret());
    // A silent sign-in with the newest refresh token verifies the new ID token too.
    let silent = signin
        .refresh_session(&rotated, |_| {})
        .await
        .expect("silent sign-in");
    assert_eq!(silent.identity.subject, "alice");
    // Replaying a rotated-out token is refused (and the provider revokes the grant).
    assert_eq!(
        signin.refresh(refresh).await.unwrap_err(),
        AuthError::InvalidGrant
    );
    let newest = silent.tokens.refresh_token.expect("newest refresh token");
    assert_eq!(
        signin.refresh_session(&newest, |_| {}).await.unwrap_err(),
        AuthError::InvalidGrant,
        "the whole grant is revoked after a replay"
    );
}

/// A sign-in that gives up after 1.5 s, for callbacks that must not end it.
async fn discover_briefly(issuer: &str) -> SignIn {
    SignIn::discover(
        issuer,
        settings(Duration::from_millis(1500)),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .expect("discovery")
}

/// A callback with a forged or no state is not this sign-in's (T01, T02, RFC 8252 §8.9): it is
/// refused with 400 and redeemed nowhere, and cannot end the sign-in either (issue 16), which
/// waits for the real one until its timeout.
#[tokio::test]
async fn wrong_state_is_rejected() {
    let op = OidcProvider::start().await;
    let signin = discover_briefly(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "state", Some("forged")));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::TimedOut
    );
    assert_eq!(browser.log().page_status, Some(400));
}

#[tokio::test]
async fn missing_state_or_code_is_rejected() {
    let op = OidcProvider::start().await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "state", None));
    let (result, port) = sign_in(&discover_briefly(&op.issuer).await, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::TimedOut
    );
    assert_eq!(browser.log().page_status, Some(400));

    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "code", None));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::MissingCode
    );
}

#[tokio::test]
async fn access_denied_with_and_without_description() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    // The provider's own refusal, with its description kept as plain text.
    let browser = ScriptedBrowser::default();
    let (result, port) = sign_in(&signin, &browser, "deny").await;
    let error = assert_failed_cleanly(result, port, &browser).await;
    // The user's "cancel" at the provider: try again, not "refused, call the helpdesk".
    assert_eq!(
        error,
        AuthError::CancelledAtProvider {
            description: Some("The user declined <b>sign-in</b>".into())
        }
    );
    assert_eq!(
        error.code(),
        latchkey_core::codes::ErrorCode::SignInCancelled
    );
    browser.finished().await;
    let page = browser.log().page.expect("page");
    assert!(
        page.contains("Sign-in did not complete") && !page.contains("declined"),
        "{page}"
    );

    let browser = ScriptedBrowser::new(
        |u| u,
        |u| with_param(with_param(u, "code", None), "error", Some("access_denied")),
    );
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    let error = assert_failed_cleanly(result, port, &browser).await;
    assert_eq!(error, AuthError::CancelledAtProvider { description: None });
}

#[tokio::test]
async fn issuer_in_the_response_must_match() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "iss", Some("http://127.0.0.1:1")));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::IssuerMismatch
    );
    // oidc-provider announces RFC 9207 support, so a missing `iss` is refused too.
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "iss", None));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::IssuerMismatch
    );
}

#[tokio::test]
async fn callback_to_another_path_is_ignored_until_the_timeout() {
    let op = OidcProvider::start().await;
    let mut settings = settings(Duration::from_millis(1500));
    settings.scopes.clear();
    let signin = SignIn::discover(&op.issuer, settings, http(), Arc::new(SystemClock))
        .await
        .expect("discovery");
    let browser = ScriptedBrowser::new(
        |u| u,
        |mut u| {
            u.set_path("/elsewhere");
            u
        },
    );
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    browser.finished().await;
    assert_eq!(browser.log().page_status, Some(404));
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::TimedOut
    );
}

/// T08: an over-long callback is refused (414) and the sign-in waits on, until its timeout
/// here. T09: the sign-in's own callback with bytes that are not UTF-8 ends it as malformed.
#[tokio::test]
async fn oversized_and_non_utf8_callbacks_are_refused() {
    let op = OidcProvider::start().await;
    let huge = "a".repeat(10 * 1024);
    let browser = ScriptedBrowser::new(|u| u, move |u| with_param(u, "code", Some(&huge)));
    let (result, port) = sign_in(&discover_briefly(&op.issuer).await, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::TimedOut
    );
    assert_eq!(browser.log().page_status, Some(414));

    // Raw bytes a browser would never send: %FF is not UTF-8.
    let signin = discover(&op.issuer).await;
    let pending = signin.start(None).await.expect("start");
    let port = pending.port();
    let state = state_of(pending.authorize_url());
    let writer = tokio::spawn(async move {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let request = format!(
            "GET /callback?code=%FF%FE&state={state} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
    });
    let result = pending.finish(pending_forever()).await;
    writer.await.expect("writer");
    assert_eq!(result.unwrap_err(), AuthError::MalformedCallback);
    assert!(!is_listening(port).await);
}

#[tokio::test]
async fn wrong_host_header_does_not_consume_the_sign_in() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::default();
    let pending = signin.start(Some("alice")).await.expect("start");
    let port = pending.port();
    let url = pending.authorize_url().to_owned();
    // A DNS-rebinding page hits the listener first; then the real browser completes.
    let attacker = tokio::spawn(async move {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        stream
            .write_all(b"GET /callback?code=x&state=y HTTP/1.1\r\nHost: attacker.example\r\n\r\n")
            .await
            .expect("write");
        let mut answer = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut answer)
            .await
            .expect("read");
        assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
        latchkey_core::ports::BrowserOpener::open(&browser, &url).expect("open");
    });
    let session = pending
        .finish(pending_forever())
        .await
        .expect("still signs in");
    attacker.await.expect("attacker");
    assert_eq!(session.identity.subject, "alice");
}

#[tokio::test]
async fn wrong_pkce_verifier_is_refused_by_the_provider() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    // The code gets bound to another challenge, so our verifier no longer matches.
    let other = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let browser =
        ScriptedBrowser::new(move |u| with_param(u, "code_challenge", Some(other)), |u| u);
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::InvalidGrant
    );
}

#[tokio::test]
async fn id_token_with_wrong_nonce_is_rejected() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| with_param(u, "nonce", Some("not-ours")), |u| u);
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::InvalidIdToken
    );
}

#[tokio::test]
async fn id_token_for_another_audience_is_rejected() {
    let op = OidcProvider::start_with(&[("LATCHKEY_TEST_TAMPER", "aud")]).await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::default();
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::InvalidIdToken
    );
}

/// One sign-in set-up per run: discovery happens once, and every sign-in and refresh reuses it.
#[tokio::test]
async fn the_authority_discovers_once_and_reuses_it() {
    use latchkey_core::auth::{Authority, SignInTarget};
    use latchkey_core::config::Config;
    let op = OidcProvider::start().await;
    let raw = format!("[organisation]\nname = \"C\"\n[provider]\nkind = \"okta\"\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\n", op.issuer);
    let config = Config::parse(&raw, std::path::Path::new("t.toml")).expect("config");
    let target = SignInTarget {
        issuer: op.issuer.clone(),
        scopes: Vec::new(),
        platform: latchkey_core::auth::Platform::Standard,
        always_offline: true,
    };
    let authority = Authority::new(
        &config,
        Some(target),
        latchkey_core::locale::Language::En,
        Arc::new(SystemClock),
    )
    .expect("authority");
    let first = authority.sign_in().await.expect("discovered");
    let second = authority.sign_in().await.expect("again");
    assert!(Arc::ptr_eq(&first, &second), "discovery is fetched once");
    let dead = Authority::new(
        &config,
        Some(SignInTarget {
            issuer: "http://127.0.0.1:9".into(),
            scopes: Vec::new(),
            platform: latchkey_core::auth::Platform::Standard,
            always_offline: false,
        }),
        latchkey_core::locale::Language::En,
        Arc::new(SystemClock),
    )
    .expect("authority");
    assert!(dead.sign_in().await.is_err());
    assert!(
        dead.sign_in().await.is_err(),
        "a failed discovery is tried again, not cached"
    );
}

/// How many times the rotating provider was asked for its keys.
async fn jwks_reads(op: &OidcProvider) -> u64 {
    let reads: serde_json::Value = reqwest::get(format!("{}/test/jwks-reads", op.issuer))
        .await
        .expect("reads")
        .json()
        .await
        .expect("json");
    reads["reads"].as_u64().expect("a count")
}

/// The provider rotated its signing key after discovery: the ID token names a key id the
/// discovered set lacks, and the client reads the keys once more instead of failing.
#[tokio::test]
async fn a_key_rotated_after_discovery_is_fetched_once_more() {
    let op = OidcProvider::start_with(&[("LATCHKEY_TEST_ROTATE", "1")]).await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::default();
    let (result, _) = sign_in(&signin, &browser, "alice").await;
    let session = result.expect("signed in with the rotated key");
    assert_eq!(session.identity.subject, "alice");
    assert_eq!(
        jwks_reads(&op).await,
        2,
        "discovery, then one refresh of the keys"
    );
    // A second sign-in uses the refreshed keys: no third read.
    let browser = ScriptedBrowser::default();
    sign_in(&signin, &browser, "bob").await.0.expect("again");
    assert_eq!(jwks_reads(&op).await, 2);
}

#[tokio::test]
async fn clock_skew_makes_the_id_token_expired_or_future() {
    let op = OidcProvider::start().await;
    for offset in [2 * 3600, -2 * 3600] {
        let signin = SignIn::discover(
            &op.issuer,
            settings(Duration::from_secs(20)),
            http(),
            Arc::new(SkewedClock(offset)),
        )
        .await
        .expect("discovery");
        let browser = ScriptedBrowser::default();
        let (result, port) = sign_in(&signin, &browser, "alice").await;
        assert_eq!(
            assert_failed_cleanly(result, port, &browser).await,
            AuthError::ClockSkew,
            "clock offset {offset} s"
        );
    }
    // Within the leeway a slightly wrong clock still signs in.
    let signin = SignIn::discover(
        &op.issuer,
        settings(Duration::from_secs(20)),
        http(),
        Arc::new(SkewedClock(-120)),
    )
    .await
    .expect("discovery");
    let (result, _) = sign_in(&signin, &ScriptedBrowser::default(), "alice").await;
    result.expect("two minutes of skew is tolerated");
}

async fn token_fault(fault: TokenFault) -> (AuthError, FaultServer) {
    let server = FaultServer::start(fault, None).await;
    let signin = SignIn::discover(
        &server.issuer,
        settings(Duration::from_secs(20)),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .expect("discovery");
    let browser = ScriptedBrowser::default();
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    (assert_failed_cleanly(result, port, &browser).await, server)
}

#[tokio::test]
async fn token_endpoint_faults() {
    // RFC 6749 §5.2 `invalid_request`: the request itself is wrong, which no retry changes
    // (it was "try again in a few minutes" before): the helpdesk's to fix.
    let (error, _) = token_fault(TokenFault::BadRequest).await;
    assert_eq!(error, AuthError::Misconfigured);
    let (error, _) = token_fault(TokenFault::ServerError).await;
    assert_eq!(error, AuthError::BadResponse);
    let started = Instant::now();
    let (error, _) = token_fault(TokenFault::Silent).await;
    assert_eq!(error, AuthError::Http(HttpError::Timeout));
    assert!(started.elapsed() < Duration::from_secs(10));
    let (error, _) = token_fault(TokenFault::MalformedJson).await;
    assert_eq!(error, AuthError::BadResponse);
    let (error, _) = token_fault(TokenFault::Oversized).await;
    assert_eq!(error, AuthError::Http(HttpError::TooLarge));
    let (error, server) = token_fault(TokenFault::Redirect).await;
    assert_eq!(error, AuthError::BadResponse);
    assert_eq!(
        server
            .followed_redirects
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the token client followed a redirect"
    );
}

/// RFC 7636 §7.2 / RFC 9700 §2.1.1: a provider that offers only `plain` is refused at
/// discovery, before any browser opens; one that offers S256 among others is used.
#[tokio::test]
async fn a_provider_without_pkce_s256_is_refused() {
    let plain = FaultServer::start_with_pkce(TokenFault::BadRequest, None, &["plain"]).await;
    let refused = SignIn::discover(
        &plain.issuer,
        settings(Duration::from_secs(5)),
        http(),
        Arc::new(SystemClock),
    )
    .await;
    assert_eq!(refused.err(), Some(AuthError::PkceUnsupported));
    let both = FaultServer::start_with_pkce(TokenFault::BadRequest, None, &["plain", "S256"]).await;
    assert!(SignIn::discover(
        &both.issuer,
        settings(Duration::from_secs(5)),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .is_ok());
}

#[tokio::test]
async fn discovery_with_another_issuer_is_refused() {
    let server = FaultServer::start(
        TokenFault::BadRequest,
        Some("https://login.example.com".into()),
    )
    .await;
    let result = SignIn::discover(
        &server.issuer,
        settings(Duration::from_secs(5)),
        http(),
        Arc::new(SystemClock),
    )
    .await;
    assert_eq!(result.err(), Some(AuthError::IssuerMismatch));
}

#[tokio::test]
async fn unreachable_provider_is_classified() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let issuer = format!("http://127.0.0.1:{closed}");
    let result = SignIn::discover(
        &issuer,
        settings(Duration::from_secs(5)),
        http(),
        Arc::new(SystemClock),
    )
    .await;
    assert_eq!(result.err(), Some(AuthError::Http(HttpError::Unreachable)));
}

#[tokio::test]
async fn port_already_in_use() {
    let op = OidcProvider::start().await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut settings = settings(Duration::from_secs(5));
    settings.redirect_port = Some(taken.local_addr().expect("addr").port());
    let signin = SignIn::discover(&op.issuer, settings, http(), Arc::new(SystemClock))
        .await
        .expect("discovery");
    let result = signin.start(None).await;
    assert_eq!(
        result.err().map(|e| e.to_string()),
        Some(AuthError::PortUnavailable.to_string())
    );
}

#[tokio::test]
async fn cancel_and_browser_failure_free_the_port() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let pending = signin.start(None).await.expect("start");
    let port = pending.port();
    assert!(is_listening(port).await);
    let result = pending.finish(async {}).await;
    assert_eq!(result.unwrap_err(), AuthError::Cancelled);
    assert!(!is_listening(port).await);

    let pending = signin.start(None).await.expect("start");
    let port = pending.port();
    assert_eq!(
        pending.open_browser(&BrokenOpener),
        Err(AuthError::BrowserUnavailable)
    );
    // The URL is still there to copy by hand; giving up frees the port.
    assert!(pending.authorize_url().starts_with(&op.issuer));
    drop(pending);
    assert!(!is_listening(port).await);
}

#[tokio::test]
async fn authorization_request_uses_pkce_s256_and_fresh_values() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let first = signin.start(None).await.expect("start");
    let second = signin.start(None).await.expect("start");
    let a = Url::parse(first.authorize_url()).expect("url");
    let b = Url::parse(second.authorize_url()).expect("url");
    let get = |u: &Url, k: &str| {
        u.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(get(&a, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(get(&a, "client_id").as_deref(), Some(CLIENT_ID));
    assert!(get(&a, "client_secret").is_none());
    let redirect = get(&a, "redirect_uri").expect("redirect_uri");
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"),
        "{redirect}"
    );
    for k in ["state", "nonce", "code_challenge"] {
        let (x, y) = (get(&a, k).expect(k), get(&b, k).expect(k));
        assert_ne!(x, y, "{k} reused");
        assert!(x.len() >= 22, "{k} too short");
    }
    assert_ne!(first.port(), second.port());
}

// ---------------------------------------------------------------------------------------------
// Issue 16: a loopback receiver nothing can derail. Whatever reaches the port first — a web
// page, junk, an idle connection, a stale callback, an over-long request — the real callback
// still completes the sign-in.

/// Starts a sign-in, lets `attack` at its port (keeping what it returns, open connections,
/// until the end), then lets the real browser finish: the sign-in must complete as alice.
/// Returns how long the browser's part took.
async fn signs_in_despite<F, Fut, Held>(attack: F) -> Duration
where
    F: FnOnce(u16, String) -> Fut,
    Fut: std::future::Future<Output = Held>,
{
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let pending = signin.start(Some("alice")).await.expect("start");
    let port = pending.port();
    let url = pending.authorize_url().to_owned();
    let browser = ScriptedBrowser::default();
    let mut took = Duration::ZERO;
    let real = async {
        let held = attack(port, url.clone()).await;
        let started = Instant::now();
        browser.deliver(&url).await;
        took = started.elapsed();
        held
    };
    let (session, _held) = tokio::join!(pending.finish(pending_forever()), real);
    let session = session.expect("the real callback still signs in");
    assert_eq!(session.identity.subject, "alice");
    assert_eq!(browser.log().page_status, Some(200));
    assert!(!is_listening(port).await, "one callback, then closed");
    took
}

fn request(port: u16, target: &str, extra_headers: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra_headers}\r\n").into_bytes()
}

/// T10: a web page that guessed the port loads `/` and fetches the callback cross-origin with
/// a guessed state (an `error=access_denied` would have ended the sign-in before issue 16).
#[tokio::test]
async fn a_web_page_on_the_port_does_not_derail_the_sign_in() {
    signs_in_despite(|port, _| async move {
        let origin = "Origin: https://attacker.example\r\n";
        let answer = raw_exchange(port, &request(port, "/", origin)).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
        let guessed = "/callback?error=access_denied&state=guessed";
        let answer = raw_exchange(port, &request(port, guessed, origin)).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        assert!(
            !answer.to_ascii_lowercase().contains("access-control"),
            "{answer}"
        );
    })
    .await;
}

/// T06: the callback of an abandoned earlier sign-in (its real state) reaches the new one's
/// port: refused, and the new sign-in goes on (it ended the sign-in before issue 16).
#[tokio::test]
async fn a_stale_callback_does_not_derail_the_sign_in() {
    let op = OidcProvider::start().await;
    let earlier = discover(&op.issuer).await;
    let abandoned = earlier.start(None).await.expect("start");
    let stale = state_of(abandoned.authorize_url());
    drop(abandoned);
    signs_in_despite(|port, url| async move {
        assert_ne!(state_of(&url), stale);
        let target = format!("/callback?code=old&state={stale}");
        let answer = raw_exchange(port, &request(port, &target, "")).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    })
    .await;
}

/// T08: a 64 KiB request line (414) and 64 KiB of headers (431) are refused after the first
/// 8 KiB, and the receiver keeps waiting (a 431 ended the sign-in before issue 16).
#[tokio::test]
async fn an_over_long_request_does_not_derail_the_sign_in() {
    signs_in_despite(|port, _| async move {
        let target = format!("/callback?code={}", "a".repeat(64 * 1024));
        let answer = raw_exchange(port, &request(port, &target, "")).await;
        assert!(answer.starts_with("HTTP/1.1 414"), "{answer}");
        let pad = format!("X-Pad: {}\r\n", "a".repeat(64 * 1024));
        let answer = raw_exchange(port, &request(port, "/callback", &pad)).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    })
    .await;
}

/// T09: junk (binary, NUL, not HTTP) is refused; junk that never ends stays open while the
/// real browser signs in. Before issue 16 each held connection blocked the port for 5 s.
#[tokio::test]
async fn junk_does_not_derail_the_sign_in() {
    let took = signs_in_despite(|port, _| async move {
        let answer = raw_exchange(port, b"\x00\xff\xfe\x16\x03\x01 junk\r\n\r\n").await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        let mut endless = Vec::new();
        for _ in 0..3 {
            let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect");
            s.write_all(b"\x16\x03\x01\x02\x00 and more")
                .await
                .expect("write");
            endless.push(s);
        }
        endless
    })
    .await;
    assert!(
        took < Duration::from_secs(10),
        "waited for the junk: {took:?}"
    );
}

/// Idle connections (a browser's speculative pre-connects, a local program) are held open
/// through the whole sign-in. Before issue 16 they were served one at a time, 5 s each.
#[tokio::test]
async fn idle_connections_do_not_derail_the_sign_in() {
    let took = signs_in_despite(|port, _| async move {
        let mut idle = Vec::new();
        for _ in 0..3 {
            let s = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect");
            idle.push(s);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        idle
    })
    .await;
    assert!(
        took < Duration::from_secs(10),
        "waited for the idle connections: {took:?}"
    );
}
