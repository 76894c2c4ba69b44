//! Test helpers: a sandbox on loopback, a user signed in through its real authorization endpoint,
//! and the outbox read over HTTP.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use latchkey_sandbox::{Sandbox, Seed};
use reqwest::{redirect, Client, Response, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const NEW_USER: &str = "nina.new@contoso.example";
pub const REGISTERED: &str = "rafael.registered@contoso.example";
pub const PASSWORD: &str = "Sandbox-Start-2026";
pub const REGISTERED_PHONE: &str = "+14255550123";
pub const REGISTERED_EMAIL: &str = "rafael.home@example.net";
pub const REDIRECT: &str = "http://127.0.0.1:49152/callback";
pub const MYACCOUNT: &str = "application/json; okta-version=1.0.0";

pub struct Tenant {
    pub sandbox: Sandbox,
    pub http: Client,
}

pub async fn start() -> Tenant {
    start_with(Seed::demo()).await
}

pub async fn start_with(seed: Seed) -> Tenant {
    let sandbox = Sandbox::start(seed, 0).await.expect("sandbox starts");
    let http = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    Tenant { sandbox, http }
}

/// A tenant on its own thread, for tests whose runtime is busy elsewhere (driving a window).
pub fn spawn() -> Tenant {
    spawn_on(0)
}

/// [`spawn`] with another seed.
pub fn spawn_with(seed: Seed) -> Tenant {
    let sandbox = Sandbox::spawn(seed).expect("sandbox starts");
    let http = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    Tenant { sandbox, http }
}

/// [`spawn`] on a given port, to take the tenant away and bring it back at the same address.
pub fn spawn_on(port: u16) -> Tenant {
    let sandbox = Sandbox::spawn_on(Seed::demo(), port).expect("sandbox starts");
    let http = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    Tenant { sandbox, http }
}

/// A seed with one change to the checked-in TOML.
pub fn seed_with(from: &str, to: &str) -> Seed {
    let text = latchkey_sandbox::seed::DEMO_SEED.replace(from, to);
    Seed::parse(&text).expect("modified seed is valid")
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier = "v".repeat(20) + &URL_SAFE_NO_PAD.encode(rand_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

fn rand_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos()
        .to_le_bytes();
    b[..16].copy_from_slice(&now);
    b
}

impl Tenant {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// `GET path` on the tenant, read as JSON (whatever the status).
    pub async fn get_json(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON")
    }

    pub fn authorize_url(&self, pkce: &Pkce, scope: &str, extra: &[(&str, &str)]) -> String {
        let mut url =
            url::Url::parse(&format!("{}/v1/authorize", self.sandbox.issuer())).expect("url");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", "latchkey-demo")
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("scope", scope)
            .append_pair("state", "state-123")
            .append_pair("nonce", "nonce-456")
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        for (k, v) in extra {
            url.query_pairs_mut().append_pair(k, v);
        }
        url.to_string()
    }

    /// Opens the sign-in page and returns its transaction id.
    pub async fn sign_in_page(&self, authorize_url: &str) -> String {
        let page = self
            .http
            .get(authorize_url)
            .send()
            .await
            .expect("authorize");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("html");
        let start = html.find("name=\"tx\" value=\"").expect("tx field") + 17;
        html[start..start + html[start..].find('"').expect("end")].to_owned()
    }

    /// Posts the sign-in form; returns the response (a redirect on success).
    pub async fn submit(&self, tx: &str, username: &str, password: &str, action: &str) -> Response {
        self.http
            .post(format!("{}/v1/authorize", self.sandbox.issuer()))
            .form(&[
                ("tx", tx),
                ("username", username),
                ("password", password),
                ("action", action),
            ])
            .send()
            .await
            .expect("sign-in form")
    }

    /// The query of the redirect back to the app.
    pub fn callback(response: &Response) -> url::Url {
        assert_eq!(
            response.status(),
            StatusCode::FOUND,
            "a redirect to the app"
        );
        let location = response.headers()["location"].to_str().expect("ascii");
        url::Url::parse(location).expect("location")
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/v1/token", self.sandbox.issuer()))
            .form(form)
            .send()
            .await
            .expect("token")
    }

    /// Signs `username` in through the authorization endpoint and returns the token response.
    pub async fn sign_in_as(&self, username: &str, password: &str, scope: &str) -> Value {
        let pkce = pkce();
        let tx = self
            .sign_in_page(&self.authorize_url(&pkce, scope, &[]))
            .await;
        let back = Tenant::callback(&self.submit(&tx, username, password, "sign_in").await);
        let code = back
            .query_pairs()
            .find(|(k, _)| k == "code")
            .expect("code")
            .1
            .to_string();
        let response = self
            .token(&[
                ("grant_type", "authorization_code"),
                ("client_id", "latchkey-demo"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &pkce.verifier),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("token json")
    }

    /// An access token for `username` with `scope` (plus openid).
    pub async fn access_token(&self, username: &str, scope: &str) -> String {
        let tokens = self
            .sign_in_as(username, PASSWORD, &format!("openid {scope}"))
            .await;
        tokens["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    pub async fn outbox(&self, to: &str) -> Vec<Value> {
        let v: Value = self
            .http
            .get(self.url("/sandbox/outbox"))
            .query(&[("to", to)])
            .send()
            .await
            .expect("outbox")
            .json()
            .await
            .expect("json");
        v["messages"].as_array().cloned().unwrap_or_default()
    }

    /// Every bearer secret the tenant handed out so far (access, ID, refresh, state and
    /// recovery tokens).
    pub async fn issued(&self) -> Vec<String> {
        let v: Value = self
            .http
            .get(self.url("/sandbox/issued"))
            .send()
            .await
            .expect("issued")
            .json()
            .await
            .expect("json");
        v["issued"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The newest code sent to `to`.
    pub async fn last_code(&self, to: &str) -> String {
        let messages = self.outbox(to).await;
        messages
            .iter()
            .find_map(|m| m["code"].as_str())
            .unwrap_or_else(|| panic!("no code was sent to {to}"))
            .to_owned()
    }

    pub async fn advance_clock(&self, seconds: u32) {
        let r = self
            .http
            .post(self.url("/sandbox/clock"))
            .body(format!("{{\"advance_seconds\":{seconds}}}"))
            .send()
            .await
            .expect("clock");
        assert_eq!(r.status(), StatusCode::OK);
    }
}

/// A code that is surely not `code`.
pub fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

/// The Okta error body's `errorCode`, checking the whole shape on the way.
pub async fn okta_error(response: Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("okta error json");
    for field in ["errorCode", "errorSummary", "errorLink", "errorId"] {
        assert!(body[field].is_string(), "{field} in {body}");
    }
    assert!(body["errorCauses"].is_array());
    (
        status,
        body["errorCode"].as_str().unwrap_or_default().to_owned(),
        body,
    )
}

/// [`okta_error`], checked against Okta's error catalogue (`tests/contract/specs/okta/
/// error-codes.json`): the code is catalogued, its status is the catalogue's, and the summary is
/// the catalogue's template with `{0}` filled in.
pub async fn okta_catalogued(response: Response) -> (StatusCode, String, Value) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/contract/specs/okta/error-codes.json"
    );
    let catalogue: Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path))
        .expect("error-codes.json");
    let (status, code, body) = okta_error(response).await;
    let entry = &catalogue["errors"][&code];
    assert!(
        entry.is_object(),
        "{code} is not in Okta's catalogue: {body}"
    );
    assert_eq!(
        u64::from(status.as_u16()),
        entry["statusCode"].as_u64().unwrap(),
        "{code}'s status"
    );
    let template = entry["errorSummary"].as_str().unwrap();
    let summary = body["errorSummary"].as_str().unwrap();
    let matches = match template.split_once("{0}") {
        Some((before, after)) => {
            summary.len() > before.len() + after.len()
                && summary.starts_with(before)
                && summary.ends_with(after)
        }
        None => summary == template,
    };
    assert!(
        matches,
        "{code}: {summary:?} is not the catalogue's {template:?}"
    );
    (status, code, body)
}

/// The wait an Okta 429 names: `X-Rate-Limit-Reset` (epoch seconds) less the response's `Date`.
pub fn rate_limit_wait(headers: &reqwest::header::HeaderMap) -> i64 {
    let reset: i64 = headers["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let date = chrono::DateTime::parse_from_rfc2822(headers["date"].to_str().unwrap()).unwrap();
    reset - date.timestamp()
}
