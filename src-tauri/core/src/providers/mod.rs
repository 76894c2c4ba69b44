//! Clients of the identity providers' self-service APIs: registering recovery methods and
//! resetting a forgotten password. Each adapter is a real client of a real public API.

pub mod error;
pub mod graph;
pub mod okta;

pub use error::ProviderError;

use crate::auth::http::{HttpClient, Timeouts};
use crate::auth::AuthError;
use crate::config::{Config, ProviderKind};
use crate::CoreError;

/// The Okta adapter for an Okta (or Okta-flavoured sandbox) configuration. Entra has no public
/// API for an unauthenticated reset: its hand-off to the SSPR portal is another path.
pub fn okta_for(config: &Config) -> Result<okta::Okta, CoreError> {
    let issuer = match config.provider.kind {
        ProviderKind::Okta | ProviderKind::Sandbox => config.provider.issuer.as_deref(),
        ProviderKind::Entra => None,
    }
    .ok_or(AuthError::NotAvailable)?;
    let http = HttpClient::new(Timeouts::default()).map_err(AuthError::Http)?;
    Ok(okta::Okta::for_issuer(issuer, http)?)
}
