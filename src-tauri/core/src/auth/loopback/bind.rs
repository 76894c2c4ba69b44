//! Binding the receiver to exactly the loopback addresses the redirect URI names: never the
//! wildcard address, and for `localhost` never a port someone else holds on the other family.

use std::io::ErrorKind;

use tokio::net::TcpListener;

use crate::auth::AuthError;

/// Ephemeral ports tried for `localhost` before giving up. A port is refused only when another
/// program holds its `[::1]` side, so a few tries are plenty.
pub const LOCALHOST_ATTEMPTS: usize = 5;

/// `127.0.0.1:port`, or an ephemeral port for 0.
pub async fn ipv4(port: u16) -> Result<TcpListener, AuthError> {
    TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|_| AuthError::PortUnavailable)
}

/// 127.0.0.1 and `[::1]` on one port, trying each of `ports` in turn (0: ephemeral). A browser
/// may resolve `localhost` to either, so a port whose `[::1]` side another program holds would
/// hand it the code: such a port is given up for the next. Without IPv6 loopback on this
/// system no browser can reach `[::1]`, and 127.0.0.1 alone is enough.
pub async fn localhost(
    ports: impl IntoIterator<Item = u16>,
) -> Result<(TcpListener, Option<TcpListener>), AuthError> {
    for wanted in ports {
        let Ok(v4) = ipv4(wanted).await else {
            continue;
        };
        let port = port_of(&v4)?;
        match TcpListener::bind(("::1", port)).await {
            Ok(v6) => return Ok((v4, Some(v6))),
            Err(e) if taken(e.kind()) => continue,
            Err(_) => return Ok((v4, None)),
        }
    }
    Err(AuthError::PortUnavailable)
}

pub fn port_of(listener: &TcpListener) -> Result<u16, AuthError> {
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|_| AuthError::PortUnavailable)
}

/// Someone else has the address: in use, or (Windows) held with `SO_EXCLUSIVEADDRUSE`.
/// Any other failure means the system has no IPv6 loopback to bind.
fn taken(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::AddrInUse | ErrorKind::PermissionDenied)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ipv6_loopback() -> Option<TcpListener> {
        TcpListener::bind(("::1", 0)).await.ok()
    }

    /// T11: the `[::1]` side of the first port is squatted: that port is given up and the next
    /// one has both families; a single squatted port with no other to try is refused.
    #[tokio::test]
    async fn a_port_squatted_on_ipv6_is_given_up() {
        let Some(squatter) = ipv6_loopback().await else {
            return; // no IPv6 loopback: nothing can squat it
        };
        let squatted = port_of(&squatter).expect("port");
        let (v4, v6) = localhost([squatted, 0]).await.expect("another port");
        let port = port_of(&v4).expect("port");
        assert_ne!(port, squatted);
        assert_eq!(port_of(&v6.expect("[::1] bound")).expect("port"), port);
        assert_eq!(
            localhost([squatted]).await.err(),
            Some(AuthError::PortUnavailable)
        );
        // Given up means closed: the squatted port's 127.0.0.1 side is free again.
        assert!(ipv4(squatted).await.is_ok());
    }

    #[tokio::test]
    async fn a_port_taken_on_ipv4_is_refused_and_never_widened() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = taken.local_addr().expect("addr").port();
        assert_eq!(ipv4(port).await.err(), Some(AuthError::PortUnavailable));
        assert_eq!(
            localhost([port]).await.err(),
            Some(AuthError::PortUnavailable)
        );
        let listener = ipv4(0).await.expect("ephemeral");
        assert!(listener.local_addr().expect("addr").ip().is_loopback());
    }
}
