//! The provider's own sign-in session in the browser (single sign-on), as Okta and Entra keep
//! it: after a sign-in, the next authorization request from the same browser goes straight back
//! to the app — unless the app asks for a new authentication (`prompt=login`), or for one no
//! older than `max_age` seconds and the session is older (OIDC Core §3.1.2.1). `prompt=none`
//! without a session answers `login_required`. The ID token's `auth_time` is the session's.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};

use crate::random;
use crate::tenant::{BrowserSession, Tenant, UserId};

/// The cookie that carries the session, as the browser keeps it.
const COOKIE: &str = "sandbox_sid";

/// What the authorization request asks of the session.
pub(super) enum Reuse {
    /// Straight back to the app with the session's user and authentication time.
    Session(BrowserSession),
    /// Show the sign-in page.
    SignIn,
    /// `prompt=none` and no usable session: `login_required` on the redirect.
    LoginRequired,
}

/// Decides from `prompt`, `max_age` and the browser's cookie.
pub(super) fn reuse(
    tenant: &Tenant,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Reuse {
    let prompt = params.get("prompt").map(String::as_str).unwrap_or_default();
    let prompts: Vec<&str> = prompt.split(' ').collect();
    let max_age = params
        .get("max_age")
        .and_then(|v| v.parse::<i64>().ok())
        .map(|s| Duration::seconds(s.clamp(0, 10 * 365 * 24 * 3600)));
    let session = cookie(headers)
        .and_then(|sid| tenant.browser_sessions.get(&sid))
        .copied()
        .filter(|s| max_age.is_none_or(|age| now - s.authenticated_at <= age));
    match (
        session,
        prompts.contains(&"login"),
        prompts.contains(&"none"),
    ) {
        (Some(s), false, _) => Reuse::Session(s),
        (_, _, true) => Reuse::LoginRequired,
        _ => Reuse::SignIn,
    }
}

/// Starts a session for `user` and sets its cookie on the redirect back to the app.
pub(super) fn start(
    tenant: &mut Tenant,
    user: UserId,
    now: DateTime<Utc>,
    mut redirect: Response,
) -> Response {
    let sid = random::secret();
    tenant.browser_sessions.insert(
        sid.clone(),
        BrowserSession {
            user,
            authenticated_at: now,
        },
    );
    let cookie = format!("{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        redirect.headers_mut().append(header::SET_COOKIE, value);
    }
    redirect
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}
