//! Okta MyAccount API: a signed-in user's phones and e-mails, verified with one-time codes.
//! Every request needs `Accept: application/json; okta-version=1.0.0` (406 otherwise) and a bearer
//! token with the `okta.myAccount.*` scope of the operation.
//!
//! This file holds the routes and what every call shares: the caller's checks and the versioned
//! answers; `phones` and `emails` hold the two resources.

mod emails;
mod phones;

use std::sync::MutexGuard;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    accepts_myaccount, bad_passcode, error, invalid_token, EXPIRED_CODE, VOID_CODE, WRONG_CODE,
};
use crate::codes::CodeCheck;
use crate::http::bearer;
use crate::tenant::{Tenant, UserId};
use crate::AppState;

const CONTENT_TYPE: &str = "application/json;okta-version=1.0.0";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/idp/myaccount/phones",
            get(phones::list_phones).post(phones::create_phone),
        )
        .route(
            "/idp/myaccount/phones/{id}",
            get(phones::get_phone).delete(phones::delete_phone),
        )
        .route(
            "/idp/myaccount/phones/{id}/challenge",
            post(phones::challenge_phone),
        )
        .route(
            "/idp/myaccount/phones/{id}/verify",
            post(phones::verify_phone),
        )
        .route(
            "/idp/myaccount/emails",
            get(emails::list_emails).post(emails::create_email),
        )
        .route(
            "/idp/myaccount/emails/{id}",
            get(emails::get_email).delete(emails::delete_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge",
            post(emails::challenge_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge/{challenge}",
            get(emails::poll_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge/{challenge}/verify",
            post(emails::verify_email),
        )
}

#[derive(Clone, Copy)]
enum Need {
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
fn caller<'a>(
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

fn versioned(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], Json(body)).into_response()
}

fn link(href: String, allow: &[&str]) -> Value {
    json!({ "href": href, "hints": { "allow": allow } })
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct Verification {
    #[serde(rename = "verificationCode")]
    verification_code: String,
}

/// The response to a code check that did not succeed, or `None` when it did.
fn refused(check: CodeCheck) -> Option<Response> {
    match check {
        CodeCheck::Accepted => None,
        CodeCheck::Wrong => Some(bad_passcode(WRONG_CODE)),
        CodeCheck::Expired => Some(bad_passcode(EXPIRED_CODE)),
        CodeCheck::Void => Some(bad_passcode(VOID_CODE)),
    }
}
