//! The authorization endpoint: checks the app's request, then shows the sign-in page; and the
//! redirects back to the app, which the sign-in form sends too.

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::entra::entra_tenant_known;
use super::login_page;
use super::redirect::{error_page, redirect_error};
use super::scopes::SCOPES;
use super::session::{self, Reuse};
use super::sign_in::issue_code;
use crate::http::form;
use crate::random;
use crate::shared::AppState;
use crate::tenant::{AuthorizeRequest, Flavour, Tenant};

const SIGN_IN_PAGE_SECONDS: i64 = 600;
const GRAPH_PREFIX: &str = "https://graph.microsoft.com/";

pub(super) async fn okta_authorize(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    authorize(app, Flavour::Okta, &headers, query)
}

pub(super) async fn entra_authorize(
    State(app): State<AppState>,
    axum::extract::Path(segment): axum::extract::Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if !entra_tenant_known(&app.tenant(), &segment) {
        return error_page(
            StatusCode::BAD_REQUEST,
            &format!("AADSTS90002: Tenant '{segment}' not found."),
        );
    }
    authorize(app, Flavour::Entra, &headers, query)
}

fn authorize(
    app: AppState,
    flavour: Flavour,
    headers: &HeaderMap,
    query: Option<String>,
) -> Response {
    let params = match form(query.unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(e) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                &format!("The sign-in request is malformed: {e}."),
            )
        }
    };
    let mut tenant = app.tenant();
    let now = tenant.now();
    let request = match registered_redirect(&tenant, flavour, &params)
        .and_then(|redirect_uri| checked_request(&app, flavour, redirect_uri, &params, now))
    {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    match session::reuse(&tenant, headers, &params, now) {
        Reuse::Session(s) => {
            return issue_code(
                &app,
                &mut tenant,
                request,
                s.user,
                (now, s.authenticated_at),
            )
        }
        Reuse::LoginRequired => {
            return redirect_error(
                &app,
                flavour,
                &request.redirect_uri,
                &request.state,
                "login_required",
                "The user is not signed in.",
            )
        }
        Reuse::SignIn => {}
    }
    let tx = random::secret();
    let page = login_page::form(
        &tenant,
        flavour,
        &tx,
        request.login_hint.as_deref().unwrap_or(""),
        None,
    );
    tenant.authorize_requests.insert(tx, request);
    page.into_response()
}

/// A query parameter; an empty one counts as absent.
fn param<'p>(params: &'p HashMap<String, String>, key: &str) -> Option<&'p str> {
    params
        .get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The redirect URI, once the client and the URI are known to be registered. Until then errors
/// go on a page of ours, not to an unverified URI.
fn registered_redirect<'p>(
    tenant: &Tenant,
    flavour: Flavour,
    params: &'p HashMap<String, String>,
) -> Result<&'p str, Response> {
    let client_id = &tenant.seed.tenant.client_id;
    if param(params, "client_id") != Some(client_id.as_str()) {
        return Err(error_page(
            StatusCode::BAD_REQUEST,
            match flavour {
                Flavour::Okta => "The client_id is not registered with this tenant.",
                Flavour::Entra => "AADSTS700016: Application with the identifier given was not found in the directory.",
            },
        ));
    }
    param(params, "redirect_uri")
        .filter(|u| loopback_redirect(u, flavour))
        .ok_or_else(|| {
            error_page(
                StatusCode::BAD_REQUEST,
                &match flavour {
                    Flavour::Okta => "The redirect_uri is not registered for this client.".to_owned(),
                    Flavour::Entra => format!("AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application '{client_id}'."),
                },
            )
        })
}

/// The rest of the request, checked; a refusal goes back to the app's redirect URI.
fn checked_request(
    app: &AppState,
    flavour: Flavour,
    redirect_uri: &str,
    params: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<AuthorizeRequest, Response> {
    let get = |k: &str| param(params, k);
    let refuse = |state: &str, error: &str, description: &str| {
        redirect_error(app, flavour, redirect_uri, state, error, description)
    };
    let Some(state) = get("state") else {
        return Err(refuse(
            "",
            "invalid_request",
            "The state parameter is required.",
        ));
    };
    if get("response_type") != Some("code") {
        return Err(refuse(state, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code]."));
    }
    let Some(code_challenge) = get("code_challenge").filter(|c| (43..=128).contains(&c.len()))
    else {
        return Err(refuse(state, "invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'."));
    };
    if get("code_challenge_method") != Some("S256") {
        return Err(refuse(
            state,
            "invalid_request",
            "PKCE code challenge method is not supported. Supported methods: [S256].",
        ));
    }
    let scopes = requested_scopes(get("scope"))
        .map_err(|(error, description)| refuse(state, error, &description))?;
    Ok(AuthorizeRequest {
        flavour,
        redirect_uri: redirect_uri.to_owned(),
        state: state.to_owned(),
        nonce: get("nonce").map(str::to_owned),
        code_challenge: code_challenge.to_owned(),
        scopes,
        login_hint: get("login_hint").map(str::to_owned),
        expires_at: now + Duration::seconds(SIGN_IN_PAGE_SECONDS),
    })
}

/// The scopes asked for, bare; `openid` must be one and all must be known. `Err` is the OAuth
/// error and its description.
fn requested_scopes(scope: Option<&str>) -> Result<Vec<String>, (&'static str, String)> {
    let scopes: Vec<String> = scope
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| normalise_scope(s).to_owned())
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return Err((
            "invalid_scope",
            "The authorization server requires the 'openid' scope.".to_owned(),
        ));
    }
    if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(("invalid_scope", format!("One or more scopes are not configured for the authorization server resource: {unknown}.")));
    }
    Ok(scopes)
}

/// A page for errors that must not be sent to an unverified redirect URI (RFC 6749 §4.1.2.1).
/// RFC 8252 §7.3: a loopback IP literal (or `localhost`), any port, the registered path. The
/// Entra flavour's app registration has `http://localhost`, whose port Microsoft ignores.
fn loopback_redirect(uri: &str, flavour: Flavour) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        let place = match flavour {
            Flavour::Okta => {
                matches!(u.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
                    && u.path() == "/callback"
            }
            Flavour::Entra => u.host_str() == Some("localhost") && u.path() == "/",
        };
        u.scheme() == "http" && place && u.fragment().is_none() && u.username().is_empty()
    })
}

/// Graph scopes may come with their resource prefix; the grant keeps the bare name.
fn normalise_scope(scope: &str) -> &str {
    scope.strip_prefix(GRAPH_PREFIX).unwrap_or(scope)
}
