//! The sandbox tenant: a local emulator of the public APIs Latchkey talks to, on loopback.
//!
//! - OpenID Connect, as an Okta custom authorization server (`/oauth2/default`), with a small
//!   sign-in page.
//! - Okta's MyAccount API (phones and e-mails with verification codes) and the Authentication API's
//!   password recovery.
//! - Microsoft Graph v1.0's `/me`, `/me/authentication/*`, `/me/changePassword` and `/domains`.
//! - The Microsoft identity platform v2.0 (`/{tenant}/v2.0`), and stand-ins for My Sign-ins
//!   security info and the SSPR portal, the pages Entra users are handed to.
//! - An outbox holding every SMS, call and e-mail the tenant would send, and a clock tests advance.
//!
//! It follows the vendors' documented paths, bodies, status codes and error shapes, so that the
//! adapters tested against it are the adapters that talk to the real services.

// Handlers short-circuit with a ready `Response` as the error; its size does not matter here.
#![allow(clippy::result_large_err)]

mod clock;
mod codes;
mod control;
mod fallback;
mod graph;
mod http;
mod lost;
mod oidc;
mod okta;
mod outbox;
mod password;
mod portals;
mod random;
mod ratelimit;
mod request_log;
mod requests;
pub mod seed;
mod shared;
mod tenant;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use clock::TenantClock;
pub use outbox::{Channel, Message};
pub use seed::{Seed, SeedError};

use shared::{AppState, Shared};

/// The largest request body the tenant reads; more is refused with 413.
const BODY_LIMIT: usize = 64 * 1024;

/// A running sandbox tenant. Dropping it stops the server.
pub struct Sandbox {
    base_url: String,
    client_id: String,
    clock: TenantClock,
    stop: Option<oneshot::Sender<()>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not listen on 127.0.0.1: {0}")]
    Listen(#[source] std::io::Error),
    #[error("could not make the signing key: {0}")]
    Key(String),
}

impl Sandbox {
    /// Starts the tenant on `127.0.0.1:port` (0 picks a free port) in the current Tokio runtime.
    pub async fn start(seed: Seed, port: u16) -> Result<Sandbox, StartError> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(StartError::Listen)?;
        let addr = listener.local_addr().map_err(StartError::Listen)?;
        let base_url = format!("http://{addr}");
        let keys = tokio::task::spawn_blocking(oidc::keys::SigningKeys::generate)
            .await
            .map_err(|e| StartError::Key(e.to_string()))?
            .map_err(StartError::Key)?;
        let clock = TenantClock::default();
        let client_id = seed.tenant.client_id.clone();
        let shared = Arc::new(Shared {
            tenant: Mutex::new(tenant::Tenant::new(seed, clock.clone())),
            keys,
            base_url: base_url.clone(),
            received: Mutex::default(),
        });
        let app = router(shared);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Sandbox {
            base_url,
            client_id,
            clock,
            stop: Some(stop),
        })
    }

    /// Starts the tenant on its own thread and runtime, for a caller with no Tokio runtime (the
    /// app in demo mode). The thread ends when the returned handle is dropped.
    pub fn spawn(seed: Seed) -> Result<Sandbox, StartError> {
        Sandbox::spawn_on(seed, 0)
    }

    /// [`Sandbox::spawn`] on a given port (0 picks one), for tests that take the tenant away
    /// and bring it back at the same address.
    pub fn spawn_on(seed: Seed, port: u16) -> Result<Sandbox, StartError> {
        let (ready, started) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("sandbox-tenant".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready.send(Err(StartError::Listen(e)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Sandbox::start(seed, port).await {
                        Ok(mut sandbox) => {
                            let stopped = sandbox.stop.take();
                            let (stop, wait) = oneshot::channel();
                            sandbox.stop = Some(stop);
                            let _ = ready.send(Ok(sandbox));
                            let _ = wait.await;
                            if let Some(stopped) = stopped {
                                let _ = stopped.send(());
                            }
                        }
                        Err(e) => {
                            let _ = ready.send(Err(e));
                        }
                    }
                });
            })
            .map_err(StartError::Listen)?;
        started
            .recv()
            .map_err(|e| StartError::Key(format!("the sandbox thread ended: {e}")))?
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The OpenID issuer (an Okta custom authorization server named `default`).
    pub fn issuer(&self) -> String {
        format!("{}/oauth2/default", self.base_url)
    }

    /// The Entra flavour's authority host: what `provider.authority_host` names for this tenant.
    /// Its issuers are `{base}/{tenant}/v2.0`.
    pub fn authority_host(&self) -> &str {
        &self.base_url
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The page where a demo user reads what the tenant sent.
    pub fn outbox_url(&self) -> String {
        format!("{}/outbox", self.base_url)
    }

    pub fn clock(&self) -> &TenantClock {
        &self.clock
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn router(shared: AppState) -> Router {
    let lost = lost::LostAnswers::default();
    Router::new()
        .merge(oidc::routes())
        .merge(okta::routes())
        .merge(graph::routes())
        .merge(control::routes())
        .merge(lost::routes(lost.clone()))
        .merge(portals::routes())
        // After every route: unserved paths and methods answer in the vendor's error shape.
        .fallback(fallback::path_not_served)
        .method_not_allowed_fallback(fallback::method_not_served)
        // Inside the request log, so that a request whose answer is lost is still logged.
        .layer(axum::middleware::from_fn_with_state(lost, lost::lose))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            requests::record,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}
