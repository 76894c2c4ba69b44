//! Okta Authentication API, password recovery (Classic Engine): start with a factor, verify the
//! code (or redeem the e-mailed recovery token), answer the recovery question when the policy asks
//! for a second proof, then set the new password with the state token.
//!
//! An unknown username gets the same answers as a known one; nothing is sent, and no code it is
//! given ever works.
//!
//! This file holds the routes; each step has its own module, `session` holds the transaction
//! lookups every step shares, and `transaction` writes the answers.

mod answer;
mod cancel;
mod factor;
mod reset;
mod session;
mod start;
mod transaction;

use axum::routing::post;
use axum::Router;

use crate::shared::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/authn/recovery/password", post(start::start))
        .route(
            "/api/v1/authn/recovery/factors/{factor}/verify",
            post(factor::verify),
        )
        .route(
            "/api/v1/authn/recovery/factors/{factor}/resend",
            post(factor::resend),
        )
        .route("/api/v1/authn/recovery/token", post(factor::redeem_token))
        .route("/api/v1/authn/recovery/answer", post(answer::answer))
        .route(
            "/api/v1/authn/credentials/reset_password",
            post(reset::reset_password),
        )
        .route("/api/v1/authn/cancel", post(cancel::cancel))
}
