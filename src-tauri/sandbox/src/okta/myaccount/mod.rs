//! Okta MyAccount API: a signed-in user's phones and e-mails, verified with one-time codes.
//! Every request needs `Accept: application/json; okta-version=1.0.0` (406 otherwise) and a bearer
//! token with the `okta.myAccount.*` scope of the operation.
//!
//! This file holds the routes; `phones` and `emails` hold the two resources, and what every call
//! shares is in `caller` (the caller's checks), `responses` (the versioned answers) and
//! `requests` (the bodies).

mod caller;
mod emails;
mod phones;
mod requests;
mod responses;

use axum::routing::{get, post};
use axum::Router;

use crate::shared::AppState;

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
        .layer(axum::middleware::map_response(responses::version_errors))
}
