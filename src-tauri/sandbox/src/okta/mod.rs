//! Okta's surfaces: the MyAccount API (a signed-in user's phones and e-mails) and the
//! Authentication API's password recovery. Errors have Okta's shape (see `errors`).

mod authn;
pub(crate) mod errors;
mod myaccount;

use axum::Router;

use crate::shared::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(myaccount::routes())
        .merge(authn::routes())
}
