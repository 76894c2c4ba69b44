//! Who may call MyAccount: the versioned `Accept` header, a live bearer token, and the scope each
//! operation needs.

use std::sync::MutexGuard;

use axum::http::{header, HeaderMap};
use axum::response::Response;

use crate::http::bearer;
use crate::okta::errors::{access_denied, invalid_bearer, not_acceptable};
use crate::shared::AppState;
use crate::tenant::{Tenant, UserId};

#[derive(Clone, Copy)]
pub(super) enum Need {
    PhoneRead,
    PhoneManage,
    EmailRead,
    EmailManage,
}

impl Need {
    fn satisfied_by(self, scopes: &[String]) -> bool {
        let has = |s: &str| scopes.iter().any(|x| x == s);
        match self {
            Need::PhoneRead => {
                has("okta.myAccount.phone.read") || has("okta.myAccount.phone.manage")
            }
            Need::PhoneManage => has("okta.myAccount.phone.manage"),
            Need::EmailRead => {
                has("okta.myAccount.email.read") || has("okta.myAccount.email.manage")
            }
            Need::EmailManage => has("okta.myAccount.email.manage"),
        }
    }
}

/// The caller's tenant lock and user id, or the response that refuses the call.
pub(super) fn caller<'a>(
    app: &'a AppState,
    headers: &HeaderMap,
    need: Need,
) -> Result<(MutexGuard<'a, Tenant>, UserId), Response> {
    if !accepts_myaccount(headers) {
        return Err(not_acceptable());
    }
    let tenant = app.tenant();
    let Some(grant) = bearer(headers).and_then(|t| tenant.grant(t)) else {
        return Err(invalid_bearer());
    };
    if !need.satisfied_by(&grant.scopes) {
        return Err(access_denied());
    }
    Ok((tenant, grant.user))
}

/// The header value of an `Accept` that names MyAccount's version.
fn accepts_myaccount(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.replace(' ', "").contains("okta-version=1.0.0"))
}
