//! OpenID Connect endpoints over real HTTP: discovery, keys, the sign-in page, the token endpoint
//! and userinfo, with good and bad input.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use reqwest::StatusCode;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;
use sha2::Sha256;

#[tokio::test]
async fn discovery_names_the_endpoints_and_only_s256() {
    let t = start().await;
    let d: Value = t
        .http
        .get(format!(
            "{}/.well-known/openid-configuration",
            t.sandbox.issuer()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["issuer"], t.sandbox.issuer());
    assert_eq!(
        d["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
    ] {
        assert!(
            d[key].as_str().unwrap().starts_with(&t.sandbox.issuer()),
            "{key}"
        );
    }
}

/// Verifies an RS256 ID token against the published JWKS and returns its claims.
async fn verified_claims(t: &Tenant, id_token: &str) -> Value {
    let jwks: Value = t
        .http
        .get(format!("{}/v1/keys", t.sandbox.issuer()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap());
    let verifier = VerifyingKey::<Sha256>::new(RsaPublicKey::new(n, e).unwrap());
    let (input, sig) = id_token.rsplit_once('.').unwrap();
    let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
    verifier
        .verify(input.as_bytes(), &sig)
        .expect("signature verifies");
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], key["kid"]);
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn code_flow_with_pkce_gives_signed_id_token_userinfo_and_rotating_refresh() {
    let t = start().await;
    let pkce = pkce();
    let tx = t
        .sign_in_page(&t.authorize_url(
            &pkce,
            "openid profile email offline_access",
            &[("login_hint", NEW_USER)],
        ))
        .await;
    let back = Tenant::callback(&t.submit(&tx, NEW_USER, PASSWORD, "sign_in").await);
    let q: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "state-123");
    assert_eq!(q["iss"], t.sandbox.issuer(), "RFC 9207 iss in the response");
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", "latchkey-demo"),
        ("code", q["code"].as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", pkce.verifier.as_str()),
    ];
    let r = t.token(&form).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let tokens: Value = r.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    let claims = verified_claims(&t, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["iss"], t.sandbox.issuer());
    assert_eq!(claims["aud"], "latchkey-demo");
    assert_eq!(claims["nonce"], "nonce-456");
    assert_eq!(claims["email"], NEW_USER);
    assert_eq!(claims["name"], "Nina New");

    // The code is single use.
    let again = t.token(&form).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        again.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );

    let info: Value = t
        .http
        .get(format!("{}/v1/userinfo", t.sandbox.issuer()))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["preferred_username"], NEW_USER);

    let refresh = tokens["refresh_token"].as_str().unwrap();
    let rotate = [
        ("grant_type", "refresh_token"),
        ("client_id", "latchkey-demo"),
        ("refresh_token", refresh),
    ];
    let next: Value = t.token(&rotate).await.json().await.unwrap();
    let newer = next["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(newer, refresh);
    // Replaying the rotated token revokes the whole family, the newer token included.
    assert_eq!(t.token(&rotate).await.status(), StatusCode::BAD_REQUEST);
    let after = [
        ("grant_type", "refresh_token"),
        ("client_id", "latchkey-demo"),
        ("refresh_token", newer.as_str()),
    ];
    assert_eq!(
        t.token(&after).await.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn no_refresh_token_without_offline_access() {
    let t = start().await;
    let tokens = t.sign_in_as(NEW_USER, PASSWORD, "openid profile").await;
    assert!(tokens.get("refresh_token").is_none());
    assert!(tokens["id_token"].is_string());
}

#[tokio::test]
async fn unregistered_client_or_redirect_gets_a_page_not_a_redirect() {
    let t = start().await;
    let pkce = pkce();
    let bad_client = t
        .authorize_url(&pkce, "openid", &[])
        .replace("client_id=latchkey-demo", "client_id=intruder");
    let r = t.http.get(bad_client).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get("location").is_none());
    for redirect in [
        "https://evil.example/callback",
        "http://127.0.0.1:5000/other",
        "http://192.168.1.2/callback",
        "not a url",
    ] {
        let url = t.authorize_url(&pkce, "openid", &[]).replace(
            &url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>(),
            &url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>(),
        );
        let r = t.http.get(url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{redirect}");
        assert!(r.headers().get("location").is_none(), "{redirect}");
    }
}

#[tokio::test]
async fn bad_requests_are_sent_back_with_an_oauth_error_and_the_state() {
    let t = start().await;
    let pkce = pkce();
    let cases = [
        (
            t.authorize_url(&pkce, "openid", &[])
                .replace("code_challenge_method=S256", "code_challenge_method=plain"),
            "invalid_request",
        ),
        (
            t.authorize_url(&pkce, "openid", &[])
                .replace("response_type=code", "response_type=token"),
            "unsupported_response_type",
        ),
        (t.authorize_url(&pkce, "profile", &[]), "invalid_scope"),
        (
            t.authorize_url(&pkce, "openid made.up", &[]),
            "invalid_scope",
        ),
        (
            t.authorize_url(&pkce, "openid", &[]).replace(
                &format!("code_challenge={}", pkce.challenge),
                "code_challenge=short",
            ),
            "invalid_request",
        ),
    ];
    for (url, error) in cases {
        let back = Tenant::callback(&t.http.get(&url).send().await.unwrap());
        let q: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
        assert_eq!(q["error"], error, "{url}");
        assert_eq!(q["state"], "state-123");
        assert_eq!(q["iss"], t.sandbox.issuer());
    }
    // A repeated parameter is malformed (RFC 6749 §3.1).
    let doubled = t.authorize_url(&pkce, "openid", &[("state", "again")]);
    assert_eq!(
        t.http.get(doubled).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn wrong_password_keeps_the_page_cancel_denies_and_attempts_are_limited() {
    let t = start_with(seed_with(
        "sign_in = { requests = 10, window_seconds = 60 }",
        "sign_in = { requests = 3, window_seconds = 60 }",
    ))
    .await;
    let pkce = pkce();
    let tx = t.sign_in_page(&t.authorize_url(&pkce, "openid", &[])).await;
    let r = t.submit(&tx, NEW_USER, "wrong-password", "sign_in").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(html.contains("Unable to sign in."));
    assert!(
        html.contains(&format!("value=\"{NEW_USER}\"")),
        "the username typed is kept"
    );
    let unknown = t
        .submit(&tx, "nobody@contoso.example", PASSWORD, "sign_in")
        .await;
    assert_eq!(
        unknown.status(),
        StatusCode::UNAUTHORIZED,
        "unknown users look like wrong passwords"
    );
    t.submit(&tx, NEW_USER, "wrong-again", "sign_in").await;
    t.submit(&tx, NEW_USER, "and-again", "sign_in").await;
    let limited = t.submit(&tx, NEW_USER, PASSWORD, "sign_in").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u32>()
            .unwrap()
            > 0
    );

    let back = Tenant::callback(&t.submit(&tx, "", "", "cancel").await);
    let q: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["state"], "state-123");
    // The transaction is over.
    assert_eq!(
        t.submit(&tx, NEW_USER, PASSWORD, "sign_in").await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_sign_in_page_escapes_what_it_echoes() {
    let t = start().await;
    let pkce = pkce();
    let tx = t.sign_in_page(&t.authorize_url(&pkce, "openid", &[])).await;
    let html = t
        .submit(&tx, "\"><script>alert(1)</script>", "x", "sign_in")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn token_endpoint_refuses_bad_input() {
    let t = start().await;
    let pkce = pkce();
    let tx = t.sign_in_page(&t.authorize_url(&pkce, "openid", &[])).await;
    let back = Tenant::callback(&t.submit(&tx, NEW_USER, PASSWORD, "sign_in").await);
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let form = |verifier: &str, redirect: &str, client: &str| {
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("client_id".to_owned(), client.to_owned()),
            ("code".to_owned(), code.clone()),
            ("redirect_uri".to_owned(), redirect.to_owned()),
            ("code_verifier".to_owned(), verifier.to_owned()),
        ]
    };
    let post = |f: Vec<(String, String)>| {
        let http = t.http.clone();
        let url = format!("{}/v1/token", t.sandbox.issuer());
        async move { http.post(url).form(&f).send().await.unwrap() }
    };
    let r = post(form(&pkce.verifier, REDIRECT, "intruder")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_client");
    // A wrong verifier spends the code: the right one fails afterwards.
    let r = post(form("x".repeat(50).as_str(), REDIRECT, "latchkey-demo")).await;
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
    let r = post(form(&pkce.verifier, REDIRECT, "latchkey-demo")).await;
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");

    let r = t
        .token(&[("grant_type", "password"), ("client_id", "latchkey-demo")])
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    let r = t
        .http
        .post(format!("{}/v1/token", t.sandbox.issuer()))
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "invalid_request",
        "JSON is not a form"
    );
    let huge = "a".repeat(100 * 1024);
    let r = t
        .http
        .post(format!("{}/v1/token", t.sandbox.issuer()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let t = start().await;
    let pkce = pkce();
    let tx = t.sign_in_page(&t.authorize_url(&pkce, "openid", &[])).await;
    let back = Tenant::callback(&t.submit(&tx, NEW_USER, PASSWORD, "sign_in").await);
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    t.advance_clock(301).await;
    let r = t
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", "latchkey-demo"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ])
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn userinfo_refuses_missing_and_wrong_tokens() {
    let t = start().await;
    for auth in [None, Some("Bearer not-a-token"), Some("Basic abc")] {
        let mut req = t.http.get(format!("{}/v1/userinfo", t.sandbox.issuer()));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token"));
    }
}

#[tokio::test]
async fn revocation_ends_a_refresh_family() {
    let t = start().await;
    let tokens = t
        .sign_in_as(NEW_USER, PASSWORD, "openid offline_access")
        .await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let r = t
        .http
        .post(format!("{}/v1/revoke", t.sandbox.issuer()))
        .form(&[("token", refresh), ("client_id", "latchkey-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .token(&[
            ("grant_type", "refresh_token"),
            ("client_id", "latchkey-demo"),
            ("refresh_token", refresh),
        ])
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

/// RFC 7009 §2.1: the `token` parameter is required (the sandbox answered 200 without one).
#[tokio::test]
async fn revocation_without_a_token_is_a_bad_request() {
    let t = start().await;
    let r = t
        .http
        .post(format!("{}/v1/revoke", t.sandbox.issuer()))
        .form(&[("client_id", "latchkey-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_request");
}

/// The provider's own session in the browser: after a sign-in, the next authorization from
/// the same browser goes straight back with the first sign-in's `auth_time`, unless the app
/// asks for a new authentication (`prompt=login`) or one no older than `max_age` (OIDC Core
/// §3.1.2.1); `prompt=none` without a session is `login_required`.
#[tokio::test]
async fn single_sign_on_honours_prompt_login_and_max_age() {
    let t = start().await;
    let first_pkce = pkce();
    let tx = t
        .sign_in_page(&t.authorize_url(&first_pkce, "openid", &[]))
        .await;
    let signed_in = t.submit(&tx, REGISTERED, PASSWORD, "sign_in").await;
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("sandbox_sid="), "{cookie}");
    let first = redeem(&t, &first_pkce, &Tenant::callback(&signed_in)).await;
    let first_auth = first["auth_time"].as_i64().unwrap();

    let from_browser = |extra: &'static [(&'static str, &'static str)], challenge: &Pkce| {
        let url = t.authorize_url(challenge, "openid", extra);
        t.http.get(url).header("cookie", cookie.clone()).send()
    };
    // The session is reused: straight back to the app, with the first sign-in's auth_time.
    t.advance_clock(120).await;
    let again = pkce();
    let r = from_browser(&[], &again).await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND, "no sign-in page");
    let reused = redeem(&t, &again, &Tenant::callback(&r)).await;
    assert_eq!(reused["auth_time"].as_i64(), Some(first_auth));

    // max_age shorter than the session's age, or prompt=login: the sign-in page again.
    for extra in [&[("max_age", "60")][..], &[("prompt", "login")][..]] {
        let r = from_browser(extra, &pkce()).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{extra:?}: the sign-in page");
        assert!(r.text().await.unwrap().contains("name=\"tx\""), "{extra:?}");
    }
    // max_age the session satisfies: reused.
    let r = from_browser(&[("max_age", "600")], &pkce()).await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);

    // prompt=none from a browser without the session: login_required on the redirect.
    let url = t.authorize_url(&pkce(), "openid", &[("prompt", "none")]);
    let r = t.http.get(url).send().await.unwrap();
    let back = Tenant::callback(&r);
    assert!(back
        .query_pairs()
        .any(|(k, v)| k == "error" && v == "login_required"));
}

/// Redeems the code of a callback and returns the ID token's claims (unverified: the
/// signature is another test's concern).
async fn redeem(t: &Tenant, pkce: &Pkce, back: &url::Url) -> Value {
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .expect("a code")
        .1
        .to_string();
    let tokens: Value = t
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", "latchkey-demo"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ])
        .await
        .json()
        .await
        .unwrap();
    let id_token = tokens["id_token"].as_str().expect("an ID token");
    let payload = id_token.split('.').nth(1).unwrap();
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
