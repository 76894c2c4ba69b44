//! Reading and parsing one request to the loopback receiver, strictly: a bounded head, plain
//! ASCII HTTP/1.x, and a query that is valid percent-encoded UTF-8 with no parameter twice.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::auth::AuthError;

/// Request heads larger than this are refused (a real callback is well under 4 KiB).
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;
/// No callback parameter is this long; a longer one is not a provider's.
const MAX_VALUE_BYTES: usize = 4096;

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

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The request line alone is over the cap (414).
    LineTooLong,
    /// The headers are over the cap (431).
    HeadTooLarge,
    /// The peer closed or broke the connection before a whole head.
    Io,
}

/// Reads up to the blank line that ends the head, never more than [`MAX_REQUEST_BYTES`].
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Result<Vec<u8>, ReadError> {
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
            let line_ended = head.windows(2).any(|w| w == b"\r\n");
            return Err(if line_ended {
                ReadError::HeadTooLarge
            } else {
                ReadError::LineTooLong
            });
        }
    }
}

/// The request line and `Host` header of one request.
pub struct RequestHead {
    pub method: String,
    pub target: String,
    pub host: Option<String>,
}

/// The request line and `Host` header; `None` when they are not plain ASCII HTTP/1.x.
pub fn parse_head(head: &[u8]) -> Option<RequestHead> {
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

/// The one `state` of a query, strictly decoded; `None` when it is absent, given twice or not
/// valid. Decides whether a callback is this sign-in's before the rest is looked at.
pub fn state_of(query: &str) -> Option<String> {
    let mut states = query
        .split('&')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name).ok()? == "state").then(|| decode(value))
        })
        .collect::<Vec<_>>();
    match states.pop() {
        Some(Ok(state)) if states.is_empty() => Some(state),
        _ => None,
    }
}

/// Strict `application/x-www-form-urlencoded` parsing (RFC 6749 App. B): every value valid
/// percent-encoding of UTF-8, `+` is a space, no parameter twice, no control characters.
pub fn parse_query(query: &str) -> Result<CallbackParams, AuthError> {
    let mut seen: HashMap<String, String> = HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (decode(name)?, decode(value)?);
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

/// One name or value: valid percent-encoding of UTF-8, no control character, not over-long.
fn decode(s: &str) -> Result<String, AuthError> {
    if !valid_percent_encoding(s) {
        return Err(AuthError::MalformedCallback);
    }
    let value = percent_decode_str(&s.replace('+', " "))
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| AuthError::MalformedCallback)?;
    if value.chars().any(char::is_control) || value.len() > MAX_VALUE_BYTES {
        return Err(AuthError::MalformedCallback);
    }
    Ok(value)
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The state alone decides whose callback it is, even when another parameter is broken.
    #[test]
    fn state_is_read_on_its_own_and_strictly() {
        assert_eq!(state_of("code=%FF&state=a%2Bb").as_deref(), Some("a+b"));
        assert_eq!(state_of("st%61te=x&code=c").as_deref(), Some("x"));
        for none in [
            "",
            "code=c",
            "state=a&state=a",
            "state=%ZZ",
            "state=%FF",
            "state=a%00",
        ] {
            assert_eq!(state_of(none), None, "{none}");
        }
    }

    #[test]
    fn head_parsing_refuses_odd_requests() {
        assert!(parse_head(b"GET /callback HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n").is_some());
        assert!(parse_head(b"GET /callback\r\n\r\n").is_none());
        assert!(parse_head(b"GET /callback HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").is_none());
        assert!(parse_head(b"GET /c\xff HTTP/1.1\r\n\r\n").is_none());
    }

    /// T08: an over-long request line is told apart from over-long headers, and neither is
    /// read past the cap.
    #[tokio::test]
    async fn heads_are_read_up_to_the_cap() {
        let line = format!("GET /callback?code={} HTTP/1.1\r\n", "a".repeat(64 * 1024));
        let mut reader = line.as_bytes();
        assert_eq!(read_head(&mut reader).await, Err(ReadError::LineTooLong));
        assert!(reader.len() > 50 * 1024, "read past the cap");
        let headers = format!("GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n", "a".repeat(64 * 1024));
        assert_eq!(
            read_head(&mut headers.as_bytes()).await,
            Err(ReadError::HeadTooLarge)
        );
        assert_eq!(
            read_head(&mut &b"GET / HTTP/1.1\r\n"[..]).await,
            Err(ReadError::Io)
        );
        let ok = read_head(&mut &b"GET / HTTP/1.1\r\n\r\n"[..]).await;
        assert_eq!(ok.as_deref(), Ok(&b"GET / HTTP/1.1\r\n\r\n"[..]));
    }

    #[test]
    fn debug_never_shows_the_code() {
        let p = parse_query("code=supersecret&state=s").expect("ok");
        let shown = format!("{p:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
    }
}
