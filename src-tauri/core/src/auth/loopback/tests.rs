//! The receiver end to end over real loopback sockets: whatever else arrives first, the
//! callback with the sign-in's state still ends it (SECURITY.md T06, T08–T11).

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

use super::connection::READ_TIMEOUT;
use super::*;

const STATE: &str = "the-state-of-this-sign-in";

/// A receiver waiting in the background for the callback with [`STATE`].
async fn waiting(style: RedirectStyle) -> (u16, JoinHandle<Result<CallbackParams, AuthError>>) {
    let receiver = LoopbackReceiver::bind(None, style).await.expect("bind");
    let port = receiver.port();
    let task = tokio::spawn(receiver.receive(Language::En, CsrfToken::new(STATE.into())));
    (port, task)
}

/// Sends `request` as is and returns the whole answer.
async fn send(ip: &str, port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect((ip, port)).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let _ = tokio::time::timeout(Duration::from_secs(10), read).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(port: u16, target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").into_bytes()
}

/// The real callback completes the sign-in: answered 200, and the receiver returns its code.
async fn completes(port: u16, task: JoinHandle<Result<CallbackParams, AuthError>>) {
    let answer = send(
        "127.0.0.1",
        port,
        &get(port, &format!("/callback?code=c&state={STATE}")),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let params = task.await.expect("task").expect("the real callback");
    assert_eq!(params.code.as_deref(), Some("c"));
    // Exactly one callback: the port is closed after it.
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
}

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
        let task = tokio::spawn(receiver.receive(Language::En, CsrfToken::new(STATE.into())));
        let request =
            format!("GET /?code=c&state={STATE} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
        let answer = send(ip, port, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let params = task.await.expect("task").expect(ip);
        assert_eq!(params.code.as_deref(), Some("c"));
    }
}

/// A `127.0.0.1` redirect binds IPv4 only: nothing of ours listens on `[::1]`.
#[tokio::test]
async fn a_loopback_ip_redirect_binds_ipv4_only() {
    let receiver = LoopbackReceiver::bind(None, RedirectStyle::LoopbackIp)
        .await
        .expect("bind");
    assert!(receiver.ipv6.is_none());
    let addr = receiver.listener.local_addr().expect("addr");
    assert_eq!(addr.ip(), std::net::Ipv4Addr::LOCALHOST);
}

/// T10: a web page that guessed the port probes it and fetches the callback cross-origin with
/// a guessed state; none of it is readable (no CORS headers) and the sign-in goes on.
#[tokio::test]
async fn a_web_page_cannot_end_the_sign_in() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let origin = "Origin: https://attacker.example\r\n";
    let probe = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}\r\n");
    let answer = send("127.0.0.1", port, probe.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let forged = format!(
        "GET /callback?error=access_denied&state=guessed HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}\r\n"
    );
    let answer = send("127.0.0.1", port, forged.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("Not the current sign-in"), "{answer}");
    let preflight = format!("OPTIONS /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}\r\n");
    let answer = send("127.0.0.1", port, preflight.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert!(
        !answer.to_ascii_lowercase().contains("access-control"),
        "{answer}"
    );
    completes(port, task).await;
}

/// T06 / T02: callbacks with another state, no state or the state twice are answered 400 and
/// ignored; the one with this sign-in's state still ends it.
#[tokio::test]
async fn callbacks_of_other_sign_ins_are_ignored() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    for target in [
        "/callback?code=old&state=an-earlier-sign-in".to_owned(),
        "/callback?code=x".to_owned(),
        format!("/callback?code=x&state={STATE}&state={STATE}"),
        "/callback?code=%FF&state=x".to_owned(),
    ] {
        let answer = send("127.0.0.1", port, &get(port, &target)).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{target}: {answer}");
    }
    completes(port, task).await;
}

/// T08: an over-long request line (414) or header block (431) is refused after the first
/// 8 KiB, and the receiver keeps waiting.
#[tokio::test]
async fn over_long_requests_are_refused_and_the_wait_goes_on() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let long_line = get(
        port,
        &format!("/callback?code={}&state={STATE}", "a".repeat(64 * 1024)),
    );
    let answer = send("127.0.0.1", port, &long_line).await;
    assert!(answer.starts_with("HTTP/1.1 414"), "{answer}");
    let pad = "a".repeat(64 * 1024);
    let big_headers = format!("GET /callback?code=c&state={STATE} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Pad: {pad}\r\n\r\n");
    let answer = send("127.0.0.1", port, big_headers.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    completes(port, task).await;
}

/// T09: junk (binary, NUL, no HTTP) is refused, and junk that never ends is not waited for
/// before the real callback is served.
#[tokio::test]
async fn junk_is_refused_and_does_not_hold_up_the_callback() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let answer = send("127.0.0.1", port, b"\x00\xff\xfe junk \x16\x03\x01\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let mut endless = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    endless
        .write_all(b"\x16\x03\x01\x02\x00 no end")
        .await
        .expect("write");
    let started = Instant::now();
    completes(port, task).await;
    assert!(started.elapsed() < READ_TIMEOUT, "waited for the junk");
}

/// Idle connections (a browser's pre-connect, a local program) are served side by side with
/// the callback, not before it.
#[tokio::test]
async fn idle_connections_do_not_hold_up_the_callback() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(
            TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect"),
        );
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    completes(port, task).await;
    assert!(
        started.elapsed() < READ_TIMEOUT,
        "waited for an idle connection"
    );
}

/// A flood of idle connections is served MAX_CONNECTIONS at a time: the callback waits in the
/// backlog until the read timeout frees a slot, then completes.
#[tokio::test]
async fn connections_are_bounded_and_the_callback_gets_through() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let mut idle = Vec::new();
    for _ in 0..MAX_CONNECTIONS {
        idle.push(
            TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect"),
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let callback = get(port, &format!("/callback?code=c&state={STATE}"));
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.write_all(&callback).await.expect("write");
    let mut first = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut first)).await;
    assert!(early.is_err(), "a 17th connection was served at once");
    let params = task
        .await
        .expect("task")
        .expect("the callback after a slot freed");
    assert_eq!(params.code.as_deref(), Some("c"));
}

/// The sign-in's callback ends the wait whatever it carries: a provider error, or a malformed
/// query (T09) with the right state.
#[tokio::test]
async fn the_right_state_ends_the_wait_with_an_error_or_a_malformed_query() {
    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let target = format!("/callback?error=access_denied&state={STATE}");
    let answer = send("127.0.0.1", port, &get(port, &target)).await;
    assert!(answer.contains("Sign-in did not complete"), "{answer}");
    let params = task.await.expect("task").expect("an error redirect");
    assert_eq!(params.error.as_deref(), Some("access_denied"));

    let (port, task) = waiting(RedirectStyle::LoopbackIp).await;
    let target = format!("/callback?code=%FF%FE&state={STATE}");
    let answer = send("127.0.0.1", port, &get(port, &target)).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(
        task.await.expect("task").err(),
        Some(AuthError::MalformedCallback)
    );
}

/// T11: a fixed `localhost` port whose `[::1]` side another program holds is refused rather
/// than half-bound; an ephemeral one is picked again and takes the callback on `[::1]`.
#[tokio::test]
async fn a_squatted_ipv6_port_is_not_used_for_localhost() {
    let Ok(squatter) = TcpListener::bind(("::1", 0)).await else {
        return; // no IPv6 loopback: nothing can squat it
    };
    let squatted = squatter.local_addr().expect("addr").port();
    assert_eq!(
        LoopbackReceiver::bind(Some(squatted), RedirectStyle::Localhost)
            .await
            .err(),
        Some(AuthError::PortUnavailable)
    );
    let receiver = LoopbackReceiver::bind(None, RedirectStyle::Localhost)
        .await
        .expect("bind");
    let port = receiver.port();
    assert!(receiver.ipv6.is_some(), "[::1] bound with 127.0.0.1");
    let task = tokio::spawn(receiver.receive(Language::En, CsrfToken::new(STATE.into())));
    let request = format!("GET /?code=c&state={STATE} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    let answer = send("::1", port, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(task.await.expect("task").is_ok());
}
