//! The sign-in page's form: checks the password, then sends the authorization code back to the
//! app, or the user's refusal.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::entra::aadsts_message;
use super::login_page;
use super::redirect::{error_page, redirect_error, redirect_to};
use super::session;
use crate::http::form;
use crate::random;
use crate::shared::AppState;
use crate::tenant::{AuthorizationCode, AuthorizeRequest, Flavour, Tenant, UserId};

const CODE_SECONDS: i64 = 300;

/// The sign-in page's form: check the password, then send the code back to the app.
pub(super) async fn sign_in(State(app): State<AppState>, body: Bytes) -> Response {
    let Ok(fields) = form(&body) else {
        return error_page(StatusCode::BAD_REQUEST, "The form is malformed.");
    };
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let mut tenant = app.tenant();
    let now = tenant.now();
    let Some(request) = tenant
        .authorize_requests
        .get(field("tx"))
        .filter(|r| r.expires_at > now)
        .cloned()
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "This sign-in page has expired. Go back to Latchkey and start again.",
        );
    };
    let tx = field("tx").to_owned();
    let flavour = request.flavour;
    if field("action") == "cancel" {
        tenant.authorize_requests.remove(&tx);
        return redirect_error(
            &app,
            flavour,
            &request.redirect_uri,
            &request.state,
            "access_denied",
            "The resource owner or authorization server denied the request.",
        );
    }
    let username = field("username").trim().to_owned();
    let user = match check_password(&mut tenant, flavour, &tx, &username, field("password"), now) {
        Ok(user) => user,
        Err(page) => return page,
    };
    tenant.authorize_requests.remove(&tx);
    if let Some(refusal) = entra_fault(&app, &tenant, &request, user) {
        return refusal;
    }
    let redirect = issue_code(&app, &mut tenant, request, user, (now, now));
    session::start(&mut tenant, user, now, redirect)
}

/// An AADSTS outcome a test set on this user (Entra flavour), sent back on the redirect as
/// Entra does when its sign-in ends in a refusal: `error` and an `error_description` that
/// starts with the AADSTS code (oidc-discovery.json `authorizationErrorCodes`).
fn entra_fault(
    app: &AppState,
    tenant: &Tenant,
    request: &AuthorizeRequest,
    user: UserId,
) -> Option<Response> {
    if request.flavour != Flavour::Entra {
        return None;
    }
    let username = tenant.users[user].username.to_lowercase();
    let code = *tenant.aadsts_faults.get(&username)?;
    let (error, description) = aadsts_message(code, &tenant.seed.tenant.client_id);
    Some(redirect_error(
        app,
        request.flavour,
        &request.redirect_uri,
        &request.state,
        error,
        &description,
    ))
}

/// The user who signed in, or the form again with why not: throttled, or unknown user or wrong
/// password (one message for both).
fn check_password(
    tenant: &mut Tenant,
    flavour: Flavour,
    tx: &str,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<UserId, Response> {
    let limit = tenant.seed.rate_limits.sign_in;
    if let Err(t) = tenant
        .limiter
        .hit(&format!("sign-in:{}", username.to_lowercase()), limit, now)
    {
        let message = format!(
            "Too many sign-in attempts. Try again in {} seconds.",
            t.retry_after
        );
        let page = login_page::form(tenant, flavour, tx, username, Some(&message));
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, t.retry_after.to_string())],
            page,
        )
            .into_response());
    }
    let user = tenant
        .find_user(username)
        .filter(|&u| tenant.users[u].password_matches(password));
    user.ok_or_else(|| {
        let page = login_page::form(tenant, flavour, tx, username, Some("Unable to sign in."));
        (StatusCode::UNAUTHORIZED, page).into_response()
    })
}

/// Keeps a single-use code for the token endpoint and sends it to the app's redirect URI.
/// `(now, auth_time)`: when the user last authenticated, a reused session's time.
pub(super) fn issue_code(
    app: &AppState,
    tenant: &mut Tenant,
    request: AuthorizeRequest,
    user: UserId,
    (now, auth_time): (DateTime<Utc>, DateTime<Utc>),
) -> Response {
    let flavour = request.flavour;
    let code = random::secret();
    let client_id = tenant.seed.tenant.client_id.clone();
    tenant.codes.insert(
        code.clone(),
        AuthorizationCode {
            flavour,
            user,
            client_id,
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge,
            nonce: request.nonce,
            scopes: request.scopes,
            expires_at: now + Duration::seconds(CODE_SECONDS),
            auth_time,
        },
    );
    redirect_to(
        app,
        flavour,
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
    )
}
