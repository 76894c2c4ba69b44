//! One connection to the loopback receiver: read a bounded head within a time limit, answer,
//! and say whether it was this sign-in's callback. Nothing else ends the sign-in.

use std::time::Duration;

use openidconnect::CsrfToken;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};

use super::request::{parse_head, parse_query, read_head, state_of, CallbackParams, ReadError};
use super::response::{respond, Page};
use crate::auth::AuthError;
use crate::locale::Language;

/// A browser sends its request at once; a connection that trickles is dropped.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// The answer is small; a peer that does not take it is not waited for.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// What is read and dropped after refusing an over-long request (a URL can reach 2 MB; the
/// rest is cut off).
const DRAIN_BYTES: usize = 256 * 1024;

/// What the callback of this sign-in looks like.
pub struct Expected {
    /// The `Host` header: `127.0.0.1:<port>` or `localhost:<port>`.
    pub host: String,
    pub path: &'static str,
    pub state: CsrfToken,
    pub language: Language,
}

/// How one connection ended.
pub enum Handled {
    /// Not this sign-in's callback (another path, host or state, junk, a slow peer): answered
    /// and forgotten.
    Ignored,
    /// This sign-in's callback, carrying the right state: the sign-in ends with it.
    Callback(Result<CallbackParams, AuthError>),
}

pub async fn handle(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    expected: &Expected,
) -> Handled {
    let (status, page, handled) =
        match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
            Ok(Ok(head)) => answer(&head, expected),
            // T08: an over-long request is refused, and the real callback is still awaited.
            Ok(Err(ReadError::LineTooLong)) => (414, Page::Empty, Handled::Ignored),
            Ok(Err(ReadError::HeadTooLarge)) => (431, Page::Empty, Handled::Ignored),
            // A slow or broken connection is not the callback.
            Ok(Err(ReadError::Io)) | Err(_) => return Handled::Ignored,
        };
    let reply = respond(&mut stream, status, expected.language, page);
    let _ = tokio::time::timeout(WRITE_TIMEOUT, reply).await;
    if matches!(status, 414 | 431) {
        let _ = tokio::time::timeout(READ_TIMEOUT, drain(&mut stream)).await;
    }
    handled
}

/// Reads and drops what is left of an over-long request, up to a bound: closing with unread
/// input resets the connection, and the browser would show that instead of the answer.
async fn drain(stream: &mut (impl AsyncRead + Unpin)) {
    let mut buf = [0u8; 1024];
    let mut left = DRAIN_BYTES;
    while left > 0 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// The status, page and outcome for one complete request head.
fn answer(head: &[u8], expected: &Expected) -> (u16, Page, Handled) {
    let Some(request) = parse_head(head) else {
        return (400, Page::Empty, Handled::Ignored);
    };
    if request.host.as_deref() != Some(expected.host.as_str()) {
        // DNS rebinding or a stray request: not ours.
        return (421, Page::Empty, Handled::Ignored);
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    if path != expected.path {
        return (404, Page::Empty, Handled::Ignored);
    }
    if request.method != "GET" {
        return (405, Page::Empty, Handled::Ignored);
    }
    // RFC 8252 §8.9: the state tells this sign-in's callback from a stale or forged one, which
    // must not end it. Constant-time comparison (timing-resistant-secret-traits).
    let ours = state_of(query).is_some_and(|s| CsrfToken::new(s) == expected.state);
    if !ours {
        return (400, Page::NotThisSignIn, Handled::Ignored);
    }
    match parse_query(query) {
        Ok(params) if params.error.is_none() && params.code.is_some() => {
            (200, Page::SignedIn, Handled::Callback(Ok(params)))
        }
        Ok(params) => (200, Page::Failed, Handled::Callback(Ok(params))),
        Err(e) => (400, Page::Failed, Handled::Callback(Err(e))),
    }
}
