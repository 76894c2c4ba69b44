//! The loopback redirect receiver of RFC 8252 §7.3: `http://127.0.0.1:<port>/callback`, or
//! `http://localhost:<port>` for Microsoft's public clients, whose registered `http://localhost`
//! matches any port.
//!
//! It binds only to loopback (127.0.0.1, and [::1] too for `localhost`), reads each request with
//! a size cap and a timeout, answers anything that is not `GET /callback` on the right `Host`
//! without consuming the sign-in, and takes exactly one callback: after it (or any error) the
//! listener is dropped, so a second callback finds the port closed.

use std::collections::HashMap;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::AuthError;
use crate::locale::Language;

/// Request heads larger than this are refused (a real callback is well under 4 KiB).
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;
/// A browser sends its request at once; a connection that trickles is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
pub const CALLBACK_PATH: &str = "/callback";

/// What the authorization server sent back, parsed strictly.
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl std::fmt::Debug for CallbackParams {
    // The code is a credential: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackParams")
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("state", &self.state.as_ref().map(|_| "<redacted>"))
            .field("iss", &self.iss)
            .field("error", &self.error)
            .finish()
    }
}

/// How the redirect URI names the loopback interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectStyle {
    /// `http://127.0.0.1:<port>/callback`, as RFC 8252 §7.3 recommends.
    LoopbackIp,
    /// `http://localhost:<port>`, what Entra app registrations list for desktop apps.
    Localhost,
}

impl RedirectStyle {
    fn host(self) -> &'static str {
        match self {
            RedirectStyle::LoopbackIp => "127.0.0.1",
            RedirectStyle::Localhost => "localhost",
        }
    }

    fn path(self) -> &'static str {
        match self {
            RedirectStyle::LoopbackIp => CALLBACK_PATH,
            RedirectStyle::Localhost => "/",
        }
    }
}

pub struct LoopbackReceiver {
    listener: TcpListener,
    /// `localhost` only: the same port on `[::1]`, where browsers may try first.
    ipv6: Option<TcpListener>,
    port: u16,
    style: RedirectStyle,
}

impl LoopbackReceiver {
    /// Binds `127.0.0.1:port`, or an ephemeral port when `port` is `None`. Never `0.0.0.0`.
    /// Both styles listen on 127.0.0.1; `localhost` also on `[::1]` (same port) when the system
    /// has IPv6 loopback, since a browser may resolve `localhost` to it first.
    pub async fn bind(
        port: Option<u16>,
        style: RedirectStyle,
    ) -> Result<LoopbackReceiver, AuthError> {
        let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
            .await
            .map_err(|_| AuthError::PortUnavailable)?;
        let port = listener
            .local_addr()
            .map_err(|_| AuthError::PortUnavailable)?
            .port();
        let ipv6 = match style {
            RedirectStyle::Localhost => TcpListener::bind(("::1", port)).await.ok(),
            RedirectStyle::LoopbackIp => None,
        };
        Ok(LoopbackReceiver {
            listener,
            ipv6,
            port,
            style,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn redirect_uri(&self) -> String {
        match self.style {
            RedirectStyle::LoopbackIp => format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port),
            RedirectStyle::Localhost => format!("http://localhost:{}", self.port),
        }
    }

    /// Waits for the one callback. Requests to other paths or hosts are answered and ignored;
    /// a malformed callback ends the sign-in. The listener is closed when this returns.
    pub async fn receive(self, language: Language) -> Result<CallbackParams, AuthError> {
        loop {
            let accepted = match &self.ipv6 {
                Some(ipv6) => tokio::select! {
                    a = self.listener.accept() => a,
                    a = ipv6.accept() => a,
                },
                None => self.listener.accept().await,
            };
            let (stream, _) = accepted.map_err(|_| AuthError::PortUnavailable)?;
            match self.handle(stream, language).await {
                Handled::Ignored => continue,
                Handled::Callback(result) => return result,
            }
        }
    }

    async fn handle(&self, mut stream: TcpStream, language: Language) -> Handled {
        let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
            Ok(Ok(head)) => head,
            Ok(Err(ReadError::TooLarge)) => {
                respond(&mut stream, 431, &page(language, false)).await;
                return Handled::Callback(Err(AuthError::MalformedCallback));
            }
            // A slow or broken connection is not the callback: keep waiting for the real one.
            Ok(Err(ReadError::Io)) | Err(_) => return Handled::Ignored,
        };
        let request = match parse_head(&head) {
            Some(request) => request,
            None => {
                respond(&mut stream, 400, &page(language, false)).await;
                return Handled::Ignored;
            }
        };
        let expected_host = format!("{}:{}", self.style.host(), self.port);
        if request.host.as_deref() != Some(expected_host.as_str()) {
            // DNS rebinding or a stray request: not ours.
            respond(&mut stream, 421, "").await;
            return Handled::Ignored;
        }
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((request.target.as_str(), ""));
        if path != self.style.path() {
            respond(&mut stream, 404, "").await;
            return Handled::Ignored;
        }
        if request.method != "GET" {
            respond(&mut stream, 405, "").await;
            return Handled::Ignored;
        }
        let params = parse_query(query);
        let ok = matches!(&params, Ok(p) if p.error.is_none() && p.code.is_some());
        respond(
            &mut stream,
            if params.is_ok() { 200 } else { 400 },
            &page(language, ok),
        )
        .await;
        Handled::Callback(params)
    }
}

enum Handled {
    Ignored,
    Callback(Result<CallbackParams, AuthError>),
}

enum ReadError {
    TooLarge,
    Io,
}

async fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await.map_err(|_| ReadError::Io)?;
        if n == 0 {
            return Err(ReadError::Io);
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            return Ok(head);
        }
        if head.len() > MAX_REQUEST_BYTES {
            return Err(ReadError::TooLarge);
        }
    }
}

struct RequestHead {
    method: String,
    target: String,
    host: Option<String>,
}

/// The request line and `Host` header; `None` when they are not plain ASCII HTTP/1.x.
fn parse_head(head: &[u8]) -> Option<RequestHead> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target, version) = (
        request_line.next()?,
        request_line.next()?,
        request_line.next()?,
    );
    if request_line.next().is_some() || !version.starts_with("HTTP/1.") || !target.is_ascii() {
        return None;
    }
    let mut host = None;
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return None;
            }
            host = Some(value.trim().to_owned());
        }
    }
    Some(RequestHead {
        method: method.to_owned(),
        target: target.to_owned(),
        host,
    })
}

/// Strict `application/x-www-form-urlencoded` parsing (RFC 6749 App. B): every value valid
/// percent-encoding of UTF-8, `+` is a space, no parameter twice, no control characters.
fn parse_query(query: &str) -> Result<CallbackParams, AuthError> {
    let mut seen: HashMap<String, String> = HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            if !valid_percent_encoding(s) {
                return Err(AuthError::MalformedCallback);
            }
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|v| v.into_owned())
                .map_err(|_| AuthError::MalformedCallback)
        };
        let (name, value) = (decode(name)?, decode(value)?);
        if value.chars().any(char::is_control) || value.len() > 4096 {
            return Err(AuthError::MalformedCallback);
        }
        if seen.insert(name, value).is_some() {
            return Err(AuthError::MalformedCallback);
        }
    }
    let mut take = |k: &str| seen.remove(k);
    Ok(CallbackParams {
        code: take("code"),
        state: take("state"),
        iss: take("iss"),
        error: take("error"),
        error_description: take("error_description"),
    })
}

fn valid_percent_encoding(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// The small page the browser tab shows: no parameters echoed, no external resources.
fn page(language: Language, ok: bool) -> String {
    let (lang, title, body) = match (language, ok) {
        (Language::En, true) => ("en", "Signed in", "You can return to Latchkey."),
        (Language::En, false) => (
            "en",
            "Sign-in did not complete",
            "You can return to Latchkey, which says what to do next.",
        ),
        (Language::Fr, true) => ("fr", "Connexion réussie", "Vous pouvez revenir à Latchkey."),
        (Language::Fr, false) => (
            "fr",
            "La connexion n’a pas abouti",
            "Vous pouvez revenir à Latchkey, qui vous indique la marche à suivre.",
        ),
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
    )
}

async fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        _ => "Request Header Fields Too Large",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nContent-Security-Policy: default-src 'none'\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already have gone; nothing to do about it.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn localhost_redirects_arrive_on_either_loopback() {
        for ip in ["127.0.0.1", "::1"] {
            let receiver = LoopbackReceiver::bind(None, RedirectStyle::Localhost)
                .await
                .expect("bind");
            if ip == "::1" && receiver.ipv6.is_none() {
                continue; // no IPv6 loopback on this machine
            }
            let port = receiver.port();
            assert_eq!(receiver.redirect_uri(), format!("http://localhost:{port}"));
            let browser = async move {
                let mut s = TcpStream::connect((ip, port)).await.expect("connect");
                let request =
                    format!("GET /?code=c&state=s HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
                s.write_all(request.as_bytes()).await.expect("write");
                let mut answer = Vec::new();
                let _ = s.read_to_end(&mut answer).await;
            };
            let (params, ()) = tokio::join!(receiver.receive(Language::En), browser);
            assert_eq!(params.expect(ip).code.as_deref(), Some("c"));
        }
    }

    #[test]
    fn query_is_parsed_strictly() {
        let p = parse_query("code=abc%2Fdef&state=xyz&iss=http%3A%2F%2F127.0.0.1%3A1").expect("ok");
        assert_eq!(p.code.as_deref(), Some("abc/def"));
        assert_eq!(p.iss.as_deref(), Some("http://127.0.0.1:1"));
        for bad in [
            "code=a&code=b",
            "code=%ff",
            "code=%zz",
            "code=%4",
            "state=a%00b",
            "code=%C3%28",
        ] {
            assert_eq!(parse_query(bad), Err(AuthError::MalformedCallback), "{bad}");
        }
        assert_eq!(
            parse_query("code=a+b%2B").expect("ok").code.as_deref(),
            Some("a b+")
        );
        let long = format!("code={}", "a".repeat(5000));
        assert_eq!(parse_query(&long), Err(AuthError::MalformedCallback));
    }

    #[test]
    fn head_parsing_refuses_odd_requests() {
        assert!(parse_head(b"GET /callback HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n").is_some());
        assert!(parse_head(b"GET /callback\r\n\r\n").is_none());
        assert!(parse_head(b"GET /callback HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").is_none());
        assert!(parse_head(b"GET /c\xff HTTP/1.1\r\n\r\n").is_none());
    }

    #[test]
    fn debug_never_shows_the_code() {
        let p = parse_query("code=supersecret&state=s").expect("ok");
        let shown = format!("{p:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
    }

    #[test]
    fn page_echoes_nothing() {
        for lang in [Language::En, Language::Fr] {
            for ok in [true, false] {
                let html = page(lang, ok);
                assert!(!html.contains("code") && !html.contains("http"), "{html}");
            }
        }
    }
}
