//! The Entra flavour over real HTTP: Microsoft's discovery with tenant aliases, the
//! `http://localhost` redirect, no `iss` in the redirect, ID-token claims, AADSTS errors, and the
//! My Sign-ins stand-in whose additions Graph then lists.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use reqwest::StatusCode;
use serde_json::Value;

const TENANT_ID: &str = "5a1d6b4e-3c2f-4e8a-9b7d-0c1e2f3a4b5c";
const LOCALHOST: &str = "http://localhost:50123/";
const SCOPES: &str = "openid profile offline_access User.Read UserAuthenticationMethod.Read";

fn authorize(t: &Tenant, tenant: &str, pkce: &Pkce, redirect: &str) -> String {
    let mut url = url::Url::parse(&t.url(&format!("/{tenant}/oauth2/v2.0/authorize"))).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "latchkey-demo")
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", SCOPES)
        .append_pair("state", "s1")
        .append_pair("nonce", "n1")
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256");
    url.to_string()
}

/// Signs in on `/{tenant}/oauth2/v2.0/authorize` and returns where the browser is sent back.
async fn authorize_as(t: &Tenant, username: &str, pkce: &Pkce) -> url::Url {
    let tx = t
        .sign_in_page(&authorize(t, "contoso.example", pkce, LOCALHOST))
        .await;
    let r = t
        .http
        .post(t.url(&format!("/{TENANT_ID}/oauth2/v2.0/authorize")))
        .form(&[
            ("tx", tx.as_str()),
            ("username", username),
            ("password", PASSWORD),
            ("action", "sign_in"),
        ])
        .send()
        .await
        .unwrap();
    let back = Tenant::callback(&r);
    assert!(back.as_str().starts_with(LOCALHOST), "{back}");
    assert!(
        back.query_pairs().all(|(k, _)| k != "iss"),
        "Microsoft sends no iss"
    );
    back
}

fn query(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn redeem(t: &Tenant, code: &str, verifier: &str) -> reqwest::Response {
    t.http
        .post(t.url("/contoso.example/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "latchkey-demo"),
            ("code", code),
            ("redirect_uri", LOCALHOST),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs in through `/{tenant}/oauth2/v2.0/*` and returns the token endpoint's answer.
async fn sign_in(t: &Tenant, username: &str) -> reqwest::Response {
    let pkce = pkce();
    let back = authorize_as(t, username, &pkce).await;
    let code = query(&back, "code").unwrap();
    redeem(t, &code, &pkce.verifier).await
}

async fn refresh(t: &Tenant, refresh_token: &str) -> reqwest::Response {
    t.http
        .post(t.url("/contoso.example/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "latchkey-demo"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap()
}

fn claims(id_token: &str) -> Value {
    let payload = id_token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn discovery_names_the_directory_whatever_alias_was_asked() {
    let t = start().await;
    let issuer = format!("{}/{TENANT_ID}/v2.0", t.sandbox.base_url());
    for alias in [TENANT_ID, "contoso.example"] {
        let d: Value = t
            .get_json(&format!("/{alias}/v2.0/.well-known/openid-configuration"))
            .await;
        assert_eq!(d["issuer"], issuer.as_str());
        assert!(d["authorization_endpoint"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/{alias}/oauth2/v2.0/authorize")));
        assert!(d.get("code_challenge_methods_supported").is_none());
    }
    let orgs: Value = t
        .get_json("/organizations/v2.0/.well-known/openid-configuration")
        .await;
    assert_eq!(
        orgs["issuer"],
        format!("{}/{{tenantid}}/v2.0", t.sandbox.base_url())
    );
    let unknown = t
        .http
        .get(t.url("/fabrikam.example/v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error_codes"][0], 90002);
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS90002:"));
}

#[tokio::test]
async fn sign_in_with_the_localhost_redirect_gives_entra_claims() {
    let t = start().await;
    let r = sign_in(&t, REGISTERED).await;
    assert_eq!(r.status(), StatusCode::OK);
    let tokens: Value = r.json().await.unwrap();
    let c = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        c["iss"],
        format!("{}/{TENANT_ID}/v2.0", t.sandbox.base_url())
    );
    assert_eq!(c["tid"], TENANT_ID);
    assert_eq!(c["ver"], "2.0");
    assert_eq!(c["preferred_username"], REGISTERED);
    assert!(c["oid"].is_string());
    assert!(tokens["refresh_token"].is_string());
    // The Okta-style redirect is not registered for this app.
    let page = t
        .http
        .get(authorize(
            &t,
            TENANT_ID,
            &pkce(),
            "http://127.0.0.1:50123/callback",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("AADSTS50011"));
}

/// Consent and Conditional Access end the interactive sign-in: Entra sends the browser back
/// with `error` and an AADSTS `error_description` (the authorization endpoint's errors,
/// oidc-discovery.json `authorizationErrorCodes`); it used to be the token endpoint, after a
/// code had been issued.
#[tokio::test]
async fn a_fault_set_for_a_user_comes_back_on_the_redirect_as_aadsts() {
    let t = start().await;
    for (code, error) in [
        (65001, "consent_required"),
        (65004, "access_denied"),
        (53003, "access_denied"),
        (50076, "interaction_required"),
    ] {
        let set = t
            .http
            .post(t.url("/sandbox/aadsts"))
            .body(format!("{{\"username\":\"{NEW_USER}\",\"code\":{code}}}"))
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), StatusCode::NO_CONTENT);
        let back = authorize_as(&t, NEW_USER, &pkce()).await;
        assert_eq!(query(&back, "code"), None, "{code}: no code is issued");
        assert_eq!(query(&back, "state").as_deref(), Some("s1"));
        assert_eq!(query(&back, "error").as_deref(), Some(error));
        assert!(query(&back, "error_description")
            .unwrap()
            .starts_with(&format!("AADSTS{code}:")));
    }
    assert_eq!(
        sign_in(&t, REGISTERED).await.status(),
        StatusCode::OK,
        "others unaffected"
    );
}

/// Entra's codes for a spent code and a PKCE mismatch (reference-error-codes, listed in
/// entra-token-error.json): AADSTS54005 and AADSTS501481, both `invalid_grant`. The sandbox
/// answered 70008 and 50148 before.
#[tokio::test]
async fn a_spent_code_and_a_pkce_mismatch_get_entras_codes() {
    let t = start().await;
    let pkce = pkce();
    let code = query(&authorize_as(&t, NEW_USER, &pkce).await, "code").unwrap();
    let wrong = redeem(&t, &code, &"x".repeat(50)).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(
        (body["error"].as_str(), body["error_codes"][0].as_u64()),
        (Some("invalid_grant"), Some(501481))
    );
    let again: Value = redeem(&t, &code, &pkce.verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["error"].as_str(), again["error_codes"][0].as_u64()),
        (Some("invalid_grant"), Some(54005)),
        "the code was spent by the first try"
    );
    let unknown: Value = redeem(&t, "never-issued", &pkce.verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unknown["error_codes"][0], 70008);
}

/// "The Microsoft identity platform doesn't revoke old refresh tokens when used to fetch new
/// access tokens" (https://learn.microsoft.com/entra/identity-platform/refresh-tokens): the
/// sandbox revoked the whole family on reuse, as Okta does.
#[tokio::test]
async fn an_entra_refresh_token_stays_valid_after_use() {
    let t = start().await;
    let tokens: Value = sign_in(&t, REGISTERED).await.json().await.unwrap();
    let first = tokens["refresh_token"].as_str().unwrap().to_owned();
    let next: Value = refresh(&t, &first).await.json().await.unwrap();
    let second = next["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second, "a fresh one each time");
    let reused = refresh(&t, &first).await;
    assert_eq!(reused.status(), StatusCode::OK, "the old one still works");
    assert_eq!(refresh(&t, &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn methods_added_on_security_info_are_listed_by_graph() {
    let t = start().await;
    let tokens: Value = sign_in(&t, NEW_USER).await.json().await.unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    let list = || async {
        let v: Value = t
            .http
            .get(t.url("/v1.0/me/authentication/methods"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["value"].as_array().unwrap().len()
    };
    assert_eq!(list().await, 1, "the password only");
    let add = |fields: Vec<(&'static str, &'static str)>| {
        let request = t.http.post(t.url("/mysignins/security-info")).form(&fields);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(
        add(vec![
            ("username", NEW_USER),
            ("password", "wrong"),
            ("phone", "+33612345678")
        ])
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        add(vec![
            ("username", NEW_USER),
            ("password", PASSWORD),
            ("phone", "0612345678")
        ])
        .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        add(vec![
            ("username", NEW_USER),
            ("password", PASSWORD),
            ("phone", "+33 6 12 34 56 78"),
            ("email", "nina@example.net")
        ])
        .await,
        StatusCode::OK
    );
    assert_eq!(list().await, 3, "password, phone and e-mail");
    let portal = t
        .http
        .get(t.url("/passwordreset/?username=nina.new%40contoso.example"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(portal.contains("value=\"nina.new@contoso.example\""));
}
