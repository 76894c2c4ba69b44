//! Who may call MyAccount: the versioned `Accept` header, a live bearer token, and the scope each
//! operation needs.

use std::sync::MutexGuard;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::http::bearer;
use crate::okta::errors::{error, invalid_token};
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
        return Err(StatusCode::NOT_ACCEPTABLE.into_response());
    }
    let tenant = app.tenant();
    let Some(grant) = bearer(headers).and_then(|t| tenant.grant(t)) else {
        return Err(invalid_token(StatusCode::UNAUTHORIZED));
    };
    if !need.satisfied_by(&grant.scopes) {
        let mut refused = error(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
            &[],
        );
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\""),
        );
        return Err(refused);
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
