//! A recovery transaction's life: how long it lasts, the body that names it by its state token,
//! and the lookup of the live one.

use axum::response::Response;
use serde::Deserialize;

use crate::okta::errors::{invalid_state_token, wrong_state};
use crate::tenant::{Recovery, RecoveryStep, Tenant};

/// How long a recovery transaction lives (Entra's reset session is 15 minutes too).
pub(super) const TRANSACTION_MINUTES: i64 = 15;

#[derive(Deserialize)]
pub(super) struct StateOnly {
    #[serde(rename = "stateToken", default)]
    pub(super) state_token: String,
}

/// The live transaction for `token` at `step`, or the refusal: 401 E0000011 for an expired or
/// unknown state token, 403 E0000079 for one at another step (`authn-recovery.json`,
/// `stateTokenErrors`).
pub(super) fn live<'t>(
    tenant: &'t mut Tenant,
    token: &str,
    step: RecoveryStep,
) -> Result<&'t mut Recovery, Response> {
    let now = tenant.now();
    tenant.recoveries.retain(|_, r| r.expires_at > now);
    match tenant.recoveries.get_mut(token) {
        Some(r) if r.step == step => Ok(r),
        Some(_) => Err(wrong_state()),
        None => Err(invalid_state_token()),
    }
}
