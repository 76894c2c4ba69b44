//! Is the identity provider reachable? Decided within a bounded time (one second by default),
//! never by waiting out a TCP or DNS timeout, and classified so the offline screen can say why.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use ts_rs::TS;
use url::Url;

/// How long the launcher may take to decide. The promise is the offline screen within one
/// second of process start (DESIGN.md), measured end to end by `tests/e2e/tests/offline_budget.rs`:
/// the process takes about 150 ms to start the check and the window about 100 ms to show the
/// verdict, which leaves 750 ms — DNS, TCP and the first TLS answer on a link of up to 250 ms
/// round trip.
pub const VERDICT_BUDGET: Duration = Duration::from_millis(750);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reachability {
    Online,
    /// The name did not resolve in time (no DNS, or DNS that never answers).
    NoDns,
    /// Nowhere to send packets, or the host refused: known at once.
    NoRoute,
    /// Packets went and nothing came back in time: a dropped route, a silent server.
    NoAnswer,
}

impl Reachability {
    pub fn is_online(self) -> bool {
        self == Reachability::Online
    }
}

/// Resolves, connects and asks for `url`, all within `budget`. Any HTTP answer, whatever its
/// status, means the provider is there; for `https`, any TLS answer to our ClientHello does
/// (the real call judges the certificate). A server that accepts TCP and then says nothing —
/// a dead backend behind a load balancer, a black-holing middlebox — is `NoAnswer`.
pub async fn check(url: &Url, budget: Duration) -> Reachability {
    let deadline = Instant::now() + budget;
    let Some(host) = url.host_str().map(str::to_owned) else {
        return Reachability::NoDns;
    };
    let Some(port) = url.port_or_known_default() else {
        return Reachability::NoRoute;
    };
    let left = || deadline.saturating_duration_since(Instant::now());
    let addrs: Vec<SocketAddr> =
        match tokio::time::timeout(left(), tokio::net::lookup_host((host.as_str(), port))).await {
            Ok(Ok(addrs)) => addrs.collect(),
            Ok(Err(_)) | Err(_) => return Reachability::NoDns,
        };
    if addrs.is_empty() {
        return Reachability::NoDns;
    }
    let mut verdict = Reachability::NoRoute;
    for addr in addrs {
        match tokio::time::timeout(left(), TcpStream::connect(addr)).await {
            Err(_) => return Reachability::NoAnswer,
            Ok(Err(_)) => continue,
            Ok(Ok(stream)) => {
                verdict = if url.scheme() == "https" {
                    tls_answers(stream, &host, left()).await
                } else {
                    http_answers(stream, url, &host, left()).await
                };
                break;
            }
        }
    }
    verdict
}

/// Whether the server answers a TLS ClientHello in time. No certificate is trusted here, on
/// purpose: a handshake that fails on the certificate (or on any message the server sent) still
/// proves the server is there; only silence, or a close without a word, is no answer.
async fn tls_answers(stream: TcpStream, host: &str, left: Duration) -> Reachability {
    let Some(connector) = probe_connector() else {
        return Reachability::NoAnswer;
    };
    let Ok(name) = rustls::pki_types::ServerName::try_from(host.to_owned()) else {
        return Reachability::NoAnswer;
    };
    match tokio::time::timeout(left, connector.connect(name, stream)).await {
        Ok(Ok(_)) => Reachability::Online,
        Ok(Err(e)) if spoke_tls(&e) => Reachability::Online,
        Ok(Err(_)) | Err(_) => Reachability::NoAnswer,
    }
}

/// A TLS client that trusts no root: enough to see whether a server speaks.
fn probe_connector() -> Option<tokio_rustls::TlsConnector> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    Some(tokio_rustls::TlsConnector::from(std::sync::Arc::new(
        config,
    )))
}

/// Whether the handshake failed on something the server sent (a certificate, an alert, a
/// message), rather than on the connection itself.
fn spoke_tls(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
}

/// Whether the server sends back the start of an HTTP response in time.
async fn http_answers(
    mut stream: TcpStream,
    url: &Url,
    host: &str,
    left: Duration,
) -> Reachability {
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let request = format!("HEAD {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        let mut head = [0u8; 5];
        stream.read_exact(&mut head).await?;
        Ok::<bool, std::io::Error>(&head == b"HTTP/")
    };
    match tokio::time::timeout(left, exchange).await {
        Ok(Ok(true)) => Reachability::Online,
        Ok(Ok(false)) | Ok(Err(_)) | Err(_) => Reachability::NoAnswer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_port_is_no_route_at_once_and_a_server_is_online() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        let url = Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url");
        let started = Instant::now();
        assert_eq!(check(&url, VERDICT_BUDGET).await, Reachability::NoRoute);
        assert!(started.elapsed() < Duration::from_millis(200));

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            if let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 256];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
        });
        let url = Url::parse(&format!("http://127.0.0.1:{port}/x")).expect("url");
        assert_eq!(check(&url, VERDICT_BUDGET).await, Reachability::Online);
    }

    #[tokio::test]
    async fn a_silent_server_is_no_answer_within_the_budget() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            let _held = listener.accept().await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let url = Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url");
        let started = Instant::now();
        assert_eq!(
            check(&url, Duration::from_millis(300)).await,
            Reachability::NoAnswer
        );
        assert!(started.elapsed() < Duration::from_millis(600));
    }

    /// A loopback server for `https://127.0.0.1:port/` that accepts and then does `then`.
    async fn tls_peer(then: &'static str) -> Url {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut hello = [0u8; 512];
            let _ = s.read(&mut hello).await;
            match then {
                "silent" => tokio::time::sleep(Duration::from_secs(5)).await,
                "close" => drop(s),
                // A plain-HTTP server on the TLS port: it answered, in its own way.
                _ => {
                    let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        });
        Url::parse(&format!("https://127.0.0.1:{port}/")).expect("url")
    }

    #[tokio::test]
    async fn https_that_accepts_tcp_and_never_answers_tls_is_no_answer_within_the_budget() {
        let url = tls_peer("silent").await;
        let started = Instant::now();
        assert_eq!(
            check(&url, Duration::from_millis(300)).await,
            Reachability::NoAnswer
        );
        assert!(started.elapsed() < Duration::from_millis(600));
        assert_eq!(
            check(&tls_peer("close").await, VERDICT_BUDGET).await,
            Reachability::NoAnswer,
            "closed without a word"
        );
        assert_eq!(
            check(&tls_peer("answer").await, VERDICT_BUDGET).await,
            Reachability::Online,
            "any answer to the ClientHello means the server is there"
        );
    }

    #[tokio::test]
    async fn an_unknown_name_is_no_dns() {
        let url = Url::parse("http://name.invalid/").expect("url");
        assert_eq!(check(&url, VERDICT_BUDGET).await, Reachability::NoDns);
    }
}
