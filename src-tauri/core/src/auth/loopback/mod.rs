//! The loopback redirect receiver of RFC 8252 §7.3: `http://127.0.0.1:<port>/callback`, or
//! `http://localhost:<port>` for Microsoft's public clients, whose registered `http://localhost`
//! matches any port.
//!
//! It binds only the loopback addresses the redirect URI names, serves up to
//! [`MAX_CONNECTIONS`] connections at once (each read with a size cap and a timeout), and
//! answers anything that is not this sign-in's callback without ending the sign-in: another
//! local program, a web page guessing the port, an idle connection or a stale callback cannot
//! derail it. It takes exactly one callback, the one with the sign-in's `state`: after it the
//! listeners are dropped, so a second callback finds the port closed.

mod bind;
mod connection;
mod request;
mod response;

use std::sync::Arc;
use std::time::Duration;

use openidconnect::CsrfToken;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use self::connection::{handle, Expected, Handled};
/// The request parsers, public for fuzzing (`fuzz/`) and property tests only.
pub use self::request::{parse_head, parse_query, state_of, RequestHead};
pub use self::request::{CallbackParams, MAX_REQUEST_BYTES};
use super::AuthError;
use crate::locale::Language;

pub const CALLBACK_PATH: &str = "/callback";
/// Connections served at once; more wait in the system's backlog until one ends (each ends
/// within the read and write timeouts), so a flood cannot grow memory or starve the callback.
pub const MAX_CONNECTIONS: usize = 16;
/// A failed `accept` (a peer that reset first, no descriptor free) is retried after this.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// How the redirect URI names the loopback interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectStyle {
    /// `http://127.0.0.1:<port>/callback`, as RFC 8252 §7.3 recommends: IPv4 only.
    LoopbackIp,
    /// `http://localhost:<port>`, what Entra app registrations list for desktop apps: both
    /// 127.0.0.1 and `[::1]`, since a browser may resolve `localhost` to either.
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
    /// `localhost` only: the same port on `[::1]` (absent without IPv6 loopback).
    ipv6: Option<TcpListener>,
    port: u16,
    style: RedirectStyle,
}

impl LoopbackReceiver {
    /// Binds the given port, or an ephemeral one when `port` is `None`; never `0.0.0.0`. For
    /// `localhost`, a port whose `[::1]` side another program holds is not used: an ephemeral
    /// port is picked again a few times, a fixed one fails with `PortUnavailable`.
    pub async fn bind(
        port: Option<u16>,
        style: RedirectStyle,
    ) -> Result<LoopbackReceiver, AuthError> {
        let (listener, ipv6) = match (style, port) {
            (RedirectStyle::LoopbackIp, port) => (bind::ipv4(port.unwrap_or(0)).await?, None),
            (RedirectStyle::Localhost, Some(port)) => bind::localhost([port]).await?,
            (RedirectStyle::Localhost, None) => {
                bind::localhost([0; bind::LOCALHOST_ATTEMPTS]).await?
            }
        };
        Ok(LoopbackReceiver {
            port: bind::port_of(&listener)?,
            listener,
            ipv6,
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

    /// Waits for the callback that carries `state`, serving connections concurrently.
    /// Everything else is answered and ignored; only that callback (with a code, a provider
    /// error, or malformed) returns. The caller bounds the wait (timeout, cancel); the
    /// listeners and every open connection are closed when this returns or is dropped.
    pub async fn receive(
        self,
        language: Language,
        state: CsrfToken,
    ) -> Result<CallbackParams, AuthError> {
        let expected = Arc::new(Expected {
            host: format!("{}:{}", self.style.host(), self.port),
            path: self.style.path(),
            state,
            language,
        });
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                // At most MAX_CONNECTIONS at once: beyond, new ones wait in the backlog.
                stream = self.accept(), if connections.len() < MAX_CONNECTIONS => {
                    let expected = Arc::clone(&expected);
                    connections.spawn(async move { handle(stream, &expected).await });
                }
                Some(done) = connections.join_next() => {
                    if let Ok(Handled::Callback(result)) = done {
                        return result;
                    }
                }
            }
        }
    }

    /// The next connection on either listener.
    async fn accept(&self) -> TcpStream {
        loop {
            let accepted = match &self.ipv6 {
                Some(ipv6) => tokio::select! {
                    a = self.listener.accept() => a,
                    a = ipv6.accept() => a,
                },
                None => self.listener.accept().await,
            };
            match accepted {
                Ok((stream, _)) => return stream,
                // Not the sign-in's failure: a peer gone before accept, or a passing shortage.
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            }
        }
    }
}

#[cfg(test)]
mod tests;
