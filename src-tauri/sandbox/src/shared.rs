//! What every handler shares: the tenant behind one lock, the signing key and the base URL.

use std::sync::{Arc, Mutex, MutexGuard};

/// What every handler shares: the tenant behind one lock, the signing key and the base URL.
pub(crate) struct Shared {
    pub(crate) tenant: Mutex<crate::tenant::Tenant>,
    pub(crate) keys: crate::oidc::keys::SigningKeys,
    pub(crate) base_url: String,
    /// The vendor requests received, for request-schema checks (`crate::requests`).
    pub(crate) received: Mutex<crate::request_log::ReceivedLog>,
}

impl Shared {
    pub(crate) fn tenant(&self) -> MutexGuard<'_, crate::tenant::Tenant> {
        // A handler that panicked leaves consistent data (each change is one assignment), so a
        // poisoned lock is still usable.
        self.tenant
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn received(&self) -> MutexGuard<'_, crate::request_log::ReceivedLog> {
        self.received
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn issuer(&self) -> String {
        format!("{}/oauth2/default", self.base_url)
    }

    /// The Entra flavour's issuer: the directory id, whichever alias the request used.
    pub(crate) fn entra_issuer(&self, tenant: &crate::tenant::Tenant) -> String {
        format!(
            "{}/{}/v2.0",
            self.base_url, tenant.seed.tenant.entra_tenant_id
        )
    }
}

pub(crate) type AppState = Arc<Shared>;
