//! Sign-in against a real, independent OpenID Provider (oidc-provider on loopback), and every
//! bad input of the sign-in catalogue. Each failure must end in a typed error with the loopback
//! listener closed and no secret in the error.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod support;

use std::future::pending;
use std::sync::Arc;
use std::time::{Duration, Instant};

use latchkey_core::auth::http::HttpError;
use latchkey_core::auth::{AuthError, SignIn};
use latchkey_core::ports::SystemClock;
use secrecy::ExposeSecret;
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
        .refresh_session(&rotated)
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
        signin.refresh_session(&newest).await.unwrap_err(),
        AuthError::InvalidGrant,
        "the whole grant is revoked after a replay"
    );
}

#[tokio::test]
async fn wrong_state_is_rejected() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "state", Some("forged")));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::StateMismatch
    );
}

#[tokio::test]
async fn missing_state_or_code_is_rejected() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let browser = ScriptedBrowser::new(|u| u, |u| with_param(u, "state", None));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::StateMismatch
    );

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
    assert_eq!(
        error,
        AuthError::AccessDenied {
            description: Some("The user declined <b>sign-in</b>".into())
        }
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
    assert_eq!(error, AuthError::AccessDenied { description: None });
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

#[tokio::test]
async fn oversized_and_non_utf8_callbacks_are_refused() {
    let op = OidcProvider::start().await;
    let signin = discover(&op.issuer).await;
    let huge = "a".repeat(10 * 1024);
    let browser = ScriptedBrowser::new(|u| u, move |u| with_param(u, "code", Some(&huge)));
    let (result, port) = sign_in(&signin, &browser, "alice").await;
    assert_eq!(
        assert_failed_cleanly(result, port, &browser).await,
        AuthError::MalformedCallback
    );

    // Raw bytes a browser would never send: %FF is not UTF-8.
    let pending = signin.start(None).await.expect("start");
    let port = pending.port();
    let writer = tokio::spawn(async move {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let request =
            format!("GET /callback?code=%FF%FE&state=x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
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
