//! Microsoft Graph v1.0 for a signed-in user: `/me`, `/me/authentication/*`, `/me/changePassword`
//! and `/domains`. Graph lets a user read their methods and delete phones and the e-mail, but not
//! add or change them (403 `accessDenied`; Learn, authentication-post-phonemethods and
//! authentication-post-emailmethods: "Self-service operations aren't supported"), and only with
//! a sign-in less than 10 minutes old (`fresh`).
//! Errors are OData: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
//!
//! This file holds the routes and what every call shares: the caller's checks, the ids Graph
//! answers with and its errors; `me`, `methods` and `domains` hold the resources.

use std::sync::MutexGuard;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::SecondsFormat;
use serde_json::{json, Value};

use crate::http::bearer;
use crate::random;
use crate::shared::AppState;
use crate::tenant::{Tenant, UserId};

/// Authenticates and authorises a call for a handler, or returns the refusal from it. Defined
/// before the modules below, which use it.
macro_rules! try_caller {
    ($app:expr, $headers:expr, $need:expr) => {
        match $crate::graph::caller(&$app, &$headers, $need) {
            Ok(c) => c,
            Err(r) => return r,
        }
    };
}

mod domains;
mod fresh;
mod me;
mod methods;
mod paging;

const GRAPH: &str = "https://graph.microsoft.com/v1.0";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1.0/me", get(me::me))
        .route("/v1.0/me/authentication/methods", get(methods::methods))
        .route("/v1.0/me/authentication/methods/{id}", get(methods::method))
        .route(
            "/v1.0/me/authentication/phoneMethods",
            get(methods::phone_methods).post(methods::self_service_refused),
        )
        .route(
            "/v1.0/me/authentication/phoneMethods/{id}",
            get(methods::phone_method)
                .patch(methods::self_service_refused_id)
                .delete(methods::delete_phone),
        )
        .route(
            "/v1.0/me/authentication/emailMethods",
            get(methods::email_methods).post(methods::self_service_refused),
        )
        .route(
            "/v1.0/me/authentication/emailMethods/{id}",
            get(methods::email_method)
                .patch(methods::self_service_refused_id)
                .delete(methods::delete_email),
        )
        .route("/v1.0/me/changePassword", post(me::change_password))
        .route("/v1.0/domains", get(domains::domains))
        .route("/v1.0/domains/{id}", get(domains::domain))
}

/// A request's context: the ids Graph answers with, kept for support.
struct Call {
    request_id: String,
    client_request_id: String,
    /// The tenant's time, sent as `Date` so that an advanced clock shows in every answer.
    now: chrono::DateTime<chrono::Utc>,
    /// When the caller's token's user last signed in (its `auth_time`).
    auth_time: Option<chrono::DateTime<chrono::Utc>>,
}

impl Call {
    fn new(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Call {
        let request_id = random::guid();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= 64)
            .map_or_else(|| request_id.clone(), str::to_owned);
        Call {
            request_id,
            client_request_id,
            now,
            auth_time: None,
        }
    }

    fn stamp(&self, mut response: Response) -> Response {
        let h = response.headers_mut();
        for (name, value) in [
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
        ] {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        }
        let date = self.now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(v) = HeaderValue::from_str(&date) {
            h.insert(header::DATE, v);
        }
        response
    }

    fn ok(&self, body: Value) -> Response {
        self.stamp(Json(body).into_response())
    }

    fn status(&self, status: StatusCode) -> Response {
        self.stamp(status.into_response())
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        let body = json!({ "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
                "request-id": self.request_id,
                "client-request-id": self.client_request_id,
            },
        }});
        self.stamp((status, Json(body)).into_response())
    }
}

#[derive(Clone, Copy)]
enum Need {
    UserRead,
    MethodsRead,
    MethodsWrite,
    ChangePassword,
    DomainRead,
}

impl Need {
    fn satisfied_by(self, scopes: &[String]) -> bool {
        let has = |s: &str| scopes.iter().any(|x| x == s);
        match self {
            Need::UserRead => has("User.Read"),
            Need::MethodsRead => {
                has("UserAuthenticationMethod.Read") || has("UserAuthenticationMethod.ReadWrite")
            }
            Need::MethodsWrite => has("UserAuthenticationMethod.ReadWrite"),
            // Microsoft's page names User-PasswordProfile.ReadWrite.All; older tenants and tools
            // grant Directory.AccessAsUser.All, which also allows it.
            Need::ChangePassword => {
                has("User-PasswordProfile.ReadWrite.All") || has("Directory.AccessAsUser.All")
            }
            Need::DomainRead => has("Domain.Read.All"),
        }
    }

    /// Graph's own refusal codes differ by workload.
    fn refusal(self) -> (&'static str, &'static str) {
        match self {
            Need::MethodsRead | Need::MethodsWrite => {
                ("accessDenied", "Request Authorization failed")
            }
            _ => (
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            ),
        }
    }
}

/// Authenticates and authorises a call, applying the per-user throttling budget.
fn caller<'a>(
    app: &'a AppState,
    headers: &HeaderMap,
    need: Need,
) -> Result<(MutexGuard<'a, Tenant>, UserId, Call), Response> {
    let mut tenant = app.tenant();
    let call = Call::new(headers, tenant.now());
    if tenant.graph_outage > 0 {
        tenant.graph_outage -= 1;
        return Err(unavailable(&call));
    }
    let Some(token) = bearer(headers) else {
        let mut r = call.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    };
    let Some(grant) = tenant.grant(token) else {
        let mut r = call.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        return Err(r);
    };
    let now = tenant.now();
    let limit = tenant.seed.rate_limits.graph;
    if let Err(t) = tenant
        .limiter
        .hit(&format!("graph:{}", grant.user), limit, now)
    {
        let mut r = call.error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests.",
        );
        if let Ok(v) = HeaderValue::from_str(&t.retry_after.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(r);
    }
    if !need.satisfied_by(&grant.scopes) {
        let (code, message) = need.refusal();
        return Err(call.error(StatusCode::FORBIDDEN, code, message));
    }
    let call = Call {
        auth_time: Some(grant.auth_time),
        ..call
    };
    Ok((tenant, grant.user, call))
}

/// Graph's 503: "The service is temporarily unavailable for maintenance or is overloaded. You
/// may repeat the request after a delay, the length of which may be specified in a Retry-After
/// header." (Learn, "Microsoft Graph error responses", `serviceNotAvailable`).
fn unavailable(call: &Call) -> Response {
    let mut r = call.error(
        StatusCode::SERVICE_UNAVAILABLE,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Try again later.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    r
}

fn not_found(call: &Call, id: &str) -> Response {
    call.error(
        StatusCode::NOT_FOUND,
        "itemNotFound",
        &format!("The requested resource '{id}' was not found."),
    )
}
