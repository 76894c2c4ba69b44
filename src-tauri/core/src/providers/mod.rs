//! The identity providers: the seam the journeys speak to ([`seam::Provider`]), the one place
//! a provider is built ([`provider_for`]), and each vendor's adapter, a real client of its
//! public API.

pub mod entra;
pub mod error;
mod exchange;
pub mod graph;
pub mod okta;
pub mod reason;
pub mod recovery;
pub mod seam;
pub mod throttle;

pub use error::ProviderError;
pub use seam::Provider;

use std::sync::Arc;

use crate::auth::http::{HttpClient, Timeouts};
use crate::config::{Config, ProviderKind};

/// The one place a provider is chosen: the configured directory, built once at start-up.
/// `None` when the configuration names no reachable provider yet (a sandbox not started).
/// Adding a directory is a module under `providers/` and one arm here.
pub fn provider_for(config: &Config) -> Option<Arc<dyn Provider>> {
    let http = HttpClient::new(Timeouts::default()).ok()?;
    let p = &config.provider;
    match p.kind {
        ProviderKind::Okta | ProviderKind::Sandbox => {
            let okta = okta::Okta::for_issuer(p.issuer.as_deref()?, http).ok()?;
            Some(Arc::new(okta))
        }
        ProviderKind::Entra => Some(Arc::new(entra::Entra {
            authority: p.entra_authority()?,
            graph: graph::Graph::new(p.graph_v1(), http).ok()?,
            security_info: p.security_info_url().to_owned(),
            reset_portal: p.reset_portal_url().to_owned(),
        })),
    }
}
