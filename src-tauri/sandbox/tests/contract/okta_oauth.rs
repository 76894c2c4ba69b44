//! Okta's custom authorization server (`/oauth2/default`): discovery, keys, token, userinfo and
//! revoke, against Okta's OAuth OpenAPI.

use reqwest::Method;

use crate::common::{pkce, Tenant, PASSWORD, REDIRECT, REGISTERED};
use crate::suite::{Call, Suite, Vendor};

const DISCOVERY: &str = "/oauth2/{authorizationServerId}/.well-known/openid-configuration";
const KEYS: &str = "/oauth2/{authorizationServerId}/v1/keys";
const TOKEN: &str = "/oauth2/{authorizationServerId}/v1/token";
const USERINFO: &str = "/oauth2/{authorizationServerId}/v1/userinfo";
const REVOKE: &str = "/oauth2/{authorizationServerId}/v1/revoke";

fn path(template: &str) -> String {
    template.replace("{authorizationServerId}", "default")
}

pub async fn run(s: &mut Suite) {
    let c = Call::new(Vendor::OktaOAuth, Method::GET, DISCOVERY, path(DISCOVERY));
    s.expect("discovery", c, 200).await;
    let c = Call::new(Vendor::OktaOAuth, Method::GET, KEYS, path(KEYS));
    s.expect("keys", c, 200).await;

    let unknown = DISCOVERY.replace("{authorizationServerId}", "unknown");
    let c = Call::new(Vendor::OktaOAuth, Method::GET, DISCOVERY, unknown);
    s.expect("discovery of an unknown server", c, 404).await;

    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, TOKEN, path(TOKEN));
    c.form = Some(vec![
        ("grant_type", "refresh_token".into()),
        ("client_id", "not-our-client".into()),
        ("refresh_token", "x".into()),
    ]);
    let a = s
        .expect("a token request from an unknown client", c, 401)
        .await;
    s.check(
        "an unknown client is invalid_client",
        expect_eq(&a.body["error"], "invalid_client"),
    );

    let code = authorization_code(&s.t).await;
    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, TOKEN, path(TOKEN));
    c.form = Some(vec![
        ("grant_type", "authorization_code".into()),
        ("client_id", "latchkey-demo".into()),
        ("code", code.0.clone()),
        ("redirect_uri", REDIRECT.into()),
        ("code_verifier", code.1.clone()),
    ]);
    let tokens = s.expect("redeem a code", c, 200).await;
    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, TOKEN, path(TOKEN));
    c.form = Some(vec![
        ("grant_type", "authorization_code".into()),
        ("client_id", "latchkey-demo".into()),
        ("code", code.0),
        ("redirect_uri", REDIRECT.into()),
        ("code_verifier", code.1),
    ]);
    let a = s.expect("redeem the code twice", c, 400).await;
    s.check(
        "redeem the code twice is invalid_grant",
        expect_eq(&a.body["error"], "invalid_grant"),
    );

    let access = tokens.body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut c = Call::new(Vendor::OktaOAuth, Method::GET, USERINFO, path(USERINFO));
    c.token = Some(&access);
    s.expect("userinfo", c, 200).await;
    let mut c = Call::new(Vendor::OktaOAuth, Method::GET, USERINFO, path(USERINFO));
    c.token = Some("not-a-token");
    let a = s.expect("userinfo with a bad token", c, 401).await;
    let challenge = a
        .headers
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    s.check(
        "userinfo's 401 names the Bearer challenge",
        match challenge {
            Some(c) if c.starts_with("Bearer") && c.contains("invalid_token") => Ok(()),
            other => Err(format!("WWW-Authenticate is {other:?}")),
        },
    );

    let refresh = tokens.body["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, REVOKE, path(REVOKE));
    c.form = Some(vec![
        ("client_id", "latchkey-demo".into()),
        ("token", refresh),
        ("token_type_hint", "refresh_token".into()),
    ]);
    s.expect("revoke the refresh token", c, 200).await;
    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, REVOKE, path(REVOKE));
    c.form = Some(vec![
        ("client_id", "not-our-client".into()),
        ("token", "x".into()),
    ]);
    s.expect("revoke from an unknown client", c, 401).await;
    let mut c = Call::new(Vendor::OktaOAuth, Method::POST, REVOKE, path(REVOKE));
    c.form = Some(vec![("client_id", "latchkey-demo".into())]);
    s.expect("revoke without a token", c, 400).await;
}

/// A fresh authorization code and its PKCE verifier, through the real sign-in page.
async fn authorization_code(t: &Tenant) -> (String, String) {
    let pkce = pkce();
    let url = t.authorize_url(&pkce, "openid offline_access", &[]);
    let tx = t.sign_in_page(&url).await;
    let back = Tenant::callback(&t.submit(&tx, REGISTERED, PASSWORD, "sign_in").await);
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    (code, pkce.verifier)
}

pub fn expect_eq(got: &serde_json::Value, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{got}, expected {want:?}"))
    }
}
