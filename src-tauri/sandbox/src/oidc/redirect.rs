//! The answers that leave the authorization endpoint: our own error page, and redirects back to
//! the app with a code or an OAuth error.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::login_page;
use crate::shared::AppState;
use crate::tenant::Flavour;

pub(super) fn error_page(status: StatusCode, message: &str) -> Response {
    (status, login_page::error(message)).into_response()
}

/// Sends the browser back to the app with an error, as RFC 6749 §4.1.2.1 and RFC 9207 say.
pub(super) fn redirect_error(
    app: &AppState,
    flavour: Flavour,
    redirect_uri: &str,
    state: &str,
    error: &str,
    description: &str,
) -> Response {
    redirect_to(
        app,
        flavour,
        redirect_uri,
        &[
            ("error", error),
            ("error_description", description),
            ("state", state),
        ],
    )
}

pub(super) fn redirect_to(
    app: &AppState,
    flavour: Flavour,
    redirect_uri: &str,
    params: &[(&str, &str)],
) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
                // Microsoft's authorization responses carry no `iss` (RFC 9207 is Okta's here).
                if flavour == Flavour::Okta {
                    q.append_pair("iss", &app.issuer());
                }
            }
            // 302, as Okta answers (RFC 6749 allows any redirection).
            (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
        }
        Err(_) => error_page(StatusCode::BAD_REQUEST, "The redirect URI is not valid."),
    }
}
