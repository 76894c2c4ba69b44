//! Is the identity provider reachable? Decided within a bounded time (one second by default),
//! never by waiting out a TCP or DNS timeout, and classified so the offline screen can say why.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use ts_rs::TS;
use url::Url;

/// How long the launcher may take to decide: under the one second DESIGN.md allows, with room
/// for the process around it.
pub const VERDICT_BUDGET: Duration = Duration::from_millis(900);

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

/// Resolves, connects and asks for `url` with HTTP/1.1, all within `budget`. Any HTTP answer,
/// whatever its status, means the provider is there. TLS endpoints are checked up to the TCP
/// connection and the server's first bytes after our TLS ClientHello would be too much here;
/// a TCP connection that opens counts as online for them.
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
                    Reachability::Online
                } else {
                    http_answers(stream, url, &host, left()).await
                };
                break;
            }
        }
    }
    verdict
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

    #[tokio::test]
    async fn an_unknown_name_is_no_dns() {
        let url = Url::parse("http://name.invalid/").expect("url");
        assert_eq!(check(&url, VERDICT_BUDGET).await, Reachability::NoDns);
    }
}
