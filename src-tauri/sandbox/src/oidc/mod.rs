//! OpenID Connect in two flavours, sharing one sign-in page and one grant store:
//! - an Okta custom authorization server (`/oauth2/default`): discovery, keys, the authorization
//!   endpoint, the token endpoint (authorization code with PKCE S256 required, rotating refresh
//!   tokens), userinfo and revocation;
//! - the Microsoft identity platform v2.0 (`/{tenant}/v2.0`, `/{tenant}/oauth2/v2.0/*`): a tenant
//!   id, a verified domain or `organizations` in the path, the `http://localhost` redirect of
//!   public clients (any port), no `iss` in the redirect, AADSTS errors with `error_codes`, and ID
//!   tokens with `tid`, `oid` and `preferred_username`.

pub mod keys;
mod login_page;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::http::{bearer, form};
use crate::random;
use crate::tenant::{
    AuthorizationCode, AuthorizeRequest, Flavour, Grant, RefreshGrant, Tenant, UserId,
};
use crate::AppState;

const ACCESS_TOKEN_SECONDS: i64 = 3600;
const CODE_SECONDS: i64 = 300;
const SIGN_IN_PAGE_SECONDS: i64 = 600;
const GRAPH_PREFIX: &str = "https://graph.microsoft.com/";

/// The scopes this authorization server knows: OpenID's, Okta MyAccount's and, for the Entra
/// flavour, Graph's delegated permissions.
const SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "phone",
    "offline_access",
    "okta.myAccount.read",
    "okta.myAccount.manage",
    "okta.myAccount.phone.read",
    "okta.myAccount.phone.manage",
    "okta.myAccount.email.read",
    "okta.myAccount.email.manage",
    "okta.myAccount.password.manage",
    "User.Read",
    "UserAuthenticationMethod.Read",
    "UserAuthenticationMethod.ReadWrite",
    "Domain.Read.All",
    "Directory.AccessAsUser.All",
    "User-PasswordProfile.ReadWrite.All",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth2/default/.well-known/openid-configuration",
            get(discovery),
        )
        .route("/oauth2/default/v1/keys", get(jwks))
        .route(
            "/oauth2/default/v1/authorize",
            get(okta_authorize).post(sign_in),
        )
        .route("/oauth2/default/v1/token", post(okta_token))
        .route("/oauth2/default/v1/userinfo", get(userinfo).post(userinfo))
        .route("/oauth2/default/v1/revoke", post(revoke))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(entra_discovery),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(entra_authorize).post(sign_in),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(entra_token))
}

/// The tenant segment of an Entra path: the directory id, the seed's domain, or
/// `organizations`/`common`. Others are AADSTS90002.
fn entra_tenant_known(tenant: &Tenant, segment: &str) -> bool {
    let seed = &tenant.seed.tenant;
    segment.eq_ignore_ascii_case(&seed.entra_tenant_id)
        || segment.eq_ignore_ascii_case(&seed.domain)
        || matches!(segment, "organizations" | "common")
}

fn tenant_not_found(segment: &str) -> Response {
    let description = format!("AADSTS90002: Tenant '{segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
    entra_error(
        StatusCode::BAD_REQUEST,
        "invalid_tenant",
        90002,
        &description,
    )
}

/// Microsoft's discovery document: the issuer names the directory id whichever alias was asked,
/// and `{tenantid}` for the multi-tenant `organizations`. No PKCE methods or RFC 9207 fields.
async fn entra_discovery(
    State(app): State<AppState>,
    axum::extract::Path(segment): axum::extract::Path<String>,
) -> Response {
    let tenant = app.tenant();
    if !entra_tenant_known(&tenant, &segment) {
        return tenant_not_found(&segment);
    }
    let base = &app.base_url;
    let issuer = if matches!(segment.as_str(), "organizations" | "common") {
        format!("{base}/{{tenantid}}/v2.0")
    } else {
        app.entra_issuer(&tenant)
    };
    drop(tenant);
    Json(json!({
        "token_endpoint": format!("{base}/{segment}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{segment}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer,
        "request_uri_parameter_supported": false,
        "authorization_endpoint": format!("{base}/{segment}/oauth2/v2.0/authorize"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
            "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
            "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "msgraph_host": "graph.microsoft.com",
    }))
    .into_response()
}

/// An error of the Microsoft identity platform's token endpoint: OAuth's fields plus
/// `error_codes`, `timestamp`, `trace_id` and `correlation_id`.
fn entra_error(status: StatusCode, error: &str, aadsts: u32, description: &str) -> Response {
    let trace = random::guid();
    let body = json!({
        "error": error,
        "error_description": format!("{description}\r\nTrace ID: {trace}\r\nCorrelation ID: {trace}\r\nTimestamp: {}", chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ")),
        "error_codes": [aadsts],
        "timestamp": chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string(),
        "trace_id": trace,
        "correlation_id": trace,
    });
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

/// The AADSTS message the Entra token endpoint gives for a fault a test set on a user.
fn aadsts_message(code: u32, client_id: &str) -> (&'static str, String) {
    match code {
        65001 => ("invalid_grant", format!("AADSTS65001: The user or administrator has not consented to use the application with ID '{client_id}' named 'Latchkey'. Send an interactive authorization request for this user and resource.")),
        53003 => ("invalid_grant", "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.".to_owned()),
        50020 => ("invalid_grant", "AADSTS50020: User account from identity provider does not exist in tenant and cannot access the application in that tenant.".to_owned()),
        other => ("invalid_grant", format!("AADSTS{other}: The sandbox was asked for this error.")),
    }
}

async fn discovery(State(app): State<AppState>) -> Json<Value> {
    let issuer = app.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/v1/authorize"),
        "token_endpoint": format!("{issuer}/v1/token"),
        "userinfo_endpoint": format!("{issuer}/v1/userinfo"),
        "jwks_uri": format!("{issuer}/v1/keys"),
        "revocation_endpoint": format!("{issuer}/v1/revoke"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": SCOPES,
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": ["iss", "sub", "aud", "iat", "exp", "auth_time", "nonce", "name",
            "given_name", "family_name", "preferred_username", "email", "email_verified"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks(State(app): State<AppState>) -> Json<Value> {
    Json(app.keys.jwks())
}

/// A page for errors that must not be sent to an unverified redirect URI (RFC 6749 §4.1.2.1).
fn error_page(status: StatusCode, message: &str) -> Response {
    (status, login_page::error(message)).into_response()
}

/// Sends the browser back to the app with an error, as RFC 6749 §4.1.2.1 and RFC 9207 say.
fn redirect_error(
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

fn redirect_to(
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

async fn okta_authorize(State(app): State<AppState>, RawQuery(query): RawQuery) -> Response {
    authorize(app, Flavour::Okta, query)
}

async fn entra_authorize(
    State(app): State<AppState>,
    axum::extract::Path(segment): axum::extract::Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !entra_tenant_known(&app.tenant(), &segment) {
        return error_page(
            StatusCode::BAD_REQUEST,
            &format!("AADSTS90002: Tenant '{segment}' not found."),
        );
    }
    authorize(app, Flavour::Entra, query)
}

fn authorize(app: AppState, flavour: Flavour, query: Option<String>) -> Response {
    let params = match form(query.unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(e) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                &format!("The sign-in request is malformed: {e}."),
            )
        }
    };
    let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let mut tenant = app.tenant();
    let client_id = tenant.seed.tenant.client_id.clone();
    if get("client_id") != Some(client_id.as_str()) {
        return error_page(
            StatusCode::BAD_REQUEST,
            match flavour {
                Flavour::Okta => "The client_id is not registered with this tenant.",
                Flavour::Entra => "AADSTS700016: Application with the identifier given was not found in the directory.",
            },
        );
    }
    let Some(redirect_uri) = get("redirect_uri").filter(|u| loopback_redirect(u, flavour)) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            &match flavour {
                Flavour::Okta => "The redirect_uri is not registered for this client.".to_owned(),
                Flavour::Entra => format!("AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application '{client_id}'."),
            },
        );
    };
    let redirect_error =
        |app: &AppState, uri: &str, state: &str, error: &str, description: &str| {
            redirect_error(app, flavour, uri, state, error, description)
        };
    let Some(state) = get("state") else {
        return redirect_error(
            &app,
            redirect_uri,
            "",
            "invalid_request",
            "The state parameter is required.",
        );
    };
    if get("response_type") != Some("code") {
        return redirect_error(&app, redirect_uri, state, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].");
    }
    let Some(code_challenge) = get("code_challenge").filter(|c| (43..=128).contains(&c.len()))
    else {
        return redirect_error(&app, redirect_uri, state, "invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");
    };
    if get("code_challenge_method") != Some("S256") {
        return redirect_error(
            &app,
            redirect_uri,
            state,
            "invalid_request",
            "PKCE code challenge method is not supported. Supported methods: [S256].",
        );
    }
    let scopes: Vec<String> = get("scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| normalise_scope(s).to_owned())
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return redirect_error(
            &app,
            redirect_uri,
            state,
            "invalid_scope",
            "The authorization server requires the 'openid' scope.",
        );
    }
    if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return redirect_error(&app, redirect_uri, state, "invalid_scope", &format!("One or more scopes are not configured for the authorization server resource: {unknown}."));
    }
    let tx = random::secret();
    let request = AuthorizeRequest {
        flavour,
        redirect_uri: redirect_uri.to_owned(),
        state: state.to_owned(),
        nonce: get("nonce").map(str::to_owned),
        code_challenge: code_challenge.to_owned(),
        scopes,
        login_hint: get("login_hint").map(str::to_owned),
        expires_at: tenant.now() + Duration::seconds(SIGN_IN_PAGE_SECONDS),
    };
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

/// The sign-in page's form: check the password, then send the code back to the app.
async fn sign_in(State(app): State<AppState>, body: Bytes) -> Response {
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
    let limit = tenant.seed.rate_limits.sign_in;
    if let Err(t) = tenant
        .limiter
        .hit(&format!("sign-in:{}", username.to_lowercase()), limit, now)
    {
        let message = format!(
            "Too many sign-in attempts. Try again in {} seconds.",
            t.retry_after
        );
        let page = login_page::form(&tenant, flavour, &tx, &username, Some(&message));
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, t.retry_after.to_string())],
            page,
        )
            .into_response();
    }
    let user = tenant
        .find_user(&username)
        .filter(|&u| tenant.users[u].password_matches(field("password")));
    let Some(user) = user else {
        let page = login_page::form(&tenant, flavour, &tx, &username, Some("Unable to sign in."));
        return (StatusCode::UNAUTHORIZED, page).into_response();
    };
    tenant.authorize_requests.remove(&tx);
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
            auth_time: now,
        },
    );
    redirect_to(
        &app,
        flavour,
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
    )
}

/// An OAuth error from the token endpoint (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// A token-endpoint refusal in the flavour's shape; `aadsts` is Microsoft's code for it.
fn refuse(
    flavour: Flavour,
    status: StatusCode,
    error: &str,
    aadsts: u32,
    description: &str,
) -> Response {
    match flavour {
        Flavour::Okta => oauth_error(status, error, description),
        Flavour::Entra => entra_error(
            status,
            error,
            aadsts,
            &format!("AADSTS{aadsts}: {description}"),
        ),
    }
}

async fn okta_token(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    token(&app, Flavour::Okta, &headers, &body)
}

async fn entra_token(
    State(app): State<AppState>,
    axum::extract::Path(segment): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !entra_tenant_known(&app.tenant(), &segment) {
        return tenant_not_found(&segment);
    }
    token(&app, Flavour::Entra, &headers, &body)
}

fn token(app: &AppState, flavour: Flavour, headers: &HeaderMap, body: &Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request must be application/x-www-form-urlencoded.",
        );
    }
    let params = match form(body) {
        Ok(p) => p,
        Err(e) => {
            return refuse(
                flavour,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                &e,
            )
        }
    };
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    let mut tenant = app.tenant();
    if get("client_id") != tenant.seed.tenant.client_id {
        return refuse(
            flavour,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            700016,
            "The client_id is not registered with this tenant.",
        );
    }
    match get("grant_type") {
        "authorization_code" => redeem_code(
            app,
            flavour,
            &mut tenant,
            get("code"),
            get("redirect_uri"),
            get("code_verifier"),
        ),
        "refresh_token" => redeem_refresh(app, flavour, &mut tenant, get("refresh_token")),
        "" => refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The grant_type parameter is required.",
        ),
        _ => refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The authorization grant type is not supported by the authorization server.",
        ),
    }
}

fn redeem_code(
    app: &AppState,
    flavour: Flavour,
    tenant: &mut Tenant,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Response {
    let refuse = |status, error, aadsts, description: &str| {
        refuse(flavour, status, error, aadsts, description)
    };
    // Single use: the code is gone whatever happens next.
    let Some(issued) = tenant.codes.remove(code).filter(|c| c.flavour == flavour) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70008,
            "The authorization code is invalid or has expired.",
        );
    };
    if issued.expires_at <= tenant.now() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70008,
            "The authorization code is invalid or has expired.",
        );
    }
    if issued.redirect_uri != redirect_uri {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            50011,
            "The redirect_uri does not match the one used in the authorization request.",
        );
    }
    if verifier.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", 9002313, "PKCE code verifier is required when the token endpoint authentication method is 'NONE'.");
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !bool::from(computed.as_bytes().ct_eq(issued.code_challenge.as_bytes())) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            50148,
            "PKCE verification failed.",
        );
    }
    if flavour == Flavour::Entra {
        let username = tenant.users[issued.user].username.to_lowercase();
        if let Some(&code) = tenant.aadsts_faults.get(&username) {
            let (error, description) = aadsts_message(code, &issued.client_id);
            return entra_error(StatusCode::BAD_REQUEST, error, code, &description);
        }
    }
    let grant = Grant {
        flavour,
        user: issued.user,
        scopes: issued.scopes,
        expires_at: tenant.now() + Duration::seconds(ACCESS_TOKEN_SECONDS),
        auth_time: issued.auth_time,
    };
    tokens(
        app,
        tenant,
        grant,
        issued.nonce.as_deref(),
        &issued.client_id,
        random::secret(),
    )
}

fn redeem_refresh(app: &AppState, flavour: Flavour, tenant: &mut Tenant, token: &str) -> Response {
    let Some(entry) = tenant
        .refresh
        .get_mut(token)
        .filter(|r| r.grant.flavour == flavour)
    else {
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70000,
            "The refresh token is invalid or expired.",
        );
    };
    if entry.used {
        // A rotated token came back: it leaked, so the whole family goes (RFC 9700 §4.14.2).
        let family = entry.family.clone();
        tenant.refresh.retain(|_, r| r.family != family);
        return refuse(
            flavour,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70000,
            "The refresh token is invalid or expired.",
        );
    }
    entry.used = true;
    let family = entry.family.clone();
    let mut grant = entry.grant.clone();
    grant.expires_at = tenant.now() + Duration::seconds(ACCESS_TOKEN_SECONDS);
    let client_id = tenant.seed.tenant.client_id.clone();
    tokens(app, tenant, grant, None, &client_id, family)
}

fn tokens(
    app: &AppState,
    tenant: &mut Tenant,
    grant: Grant,
    nonce: Option<&str>,
    client_id: &str,
    family: String,
) -> Response {
    let now = tenant.now();
    let access_token = random::secret();
    let id_token = app
        .keys
        .sign(&id_claims(app, tenant, &grant, nonce, client_id));
    let mut body = json!({
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "access_token": access_token,
        "scope": grant.scopes.join(" "),
        "id_token": id_token,
    });
    if grant.has_scope("offline_access") {
        let refresh_token = random::secret();
        body["refresh_token"] = json!(refresh_token);
        tenant.refresh.insert(
            refresh_token,
            RefreshGrant {
                grant: grant.clone(),
                family,
                used: false,
            },
        );
    }
    tenant.access.insert(access_token, grant);
    tenant.access.retain(|_, g| g.expires_at > now);
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

fn id_claims(
    app: &AppState,
    tenant: &Tenant,
    grant: &Grant,
    nonce: Option<&str>,
    client_id: &str,
) -> Value {
    let now = tenant.now().timestamp();
    let issuer = match grant.flavour {
        Flavour::Okta => app.issuer(),
        Flavour::Entra => app.entra_issuer(tenant),
    };
    let mut claims = json!({
        "iss": issuer,
        "sub": tenant.users[grant.user].okta_id,
        "aud": client_id,
        "iat": now,
        "exp": now + ACCESS_TOKEN_SECONDS,
        "auth_time": grant.auth_time.timestamp(),
        "amr": ["pwd"],
        "jti": random::okta_id("ID."),
    });
    if let Some(nonce) = nonce {
        claims["nonce"] = json!(nonce);
    }
    if grant.flavour == Flavour::Entra {
        let user = &tenant.users[grant.user];
        merge(
            &mut claims,
            json!({
                "ver": "2.0",
                "tid": tenant.seed.tenant.entra_tenant_id,
                "oid": user.object_id,
                "preferred_username": user.username,
            }),
        );
    }
    merge(
        &mut claims,
        profile_claims(tenant, grant.user, &grant.scopes),
    );
    claims
}

fn profile_claims(tenant: &Tenant, user: UserId, scopes: &[String]) -> Value {
    let u = &tenant.users[user];
    let mut claims = json!({ "sub": u.okta_id });
    if scopes.iter().any(|s| s == "profile") {
        merge(
            &mut claims,
            json!({
                "name": u.display_name,
                "given_name": u.given_name,
                "family_name": u.family_name,
                "preferred_username": u.username,
            }),
        );
    }
    if scopes.iter().any(|s| s == "email") {
        merge(
            &mut claims,
            json!({ "email": u.username, "email_verified": true }),
        );
    }
    claims
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

async fn userinfo(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let tenant = app.tenant();
    match bearer(&headers).and_then(|t| tenant.grant(t)) {
        Some(grant) => Json(profile_claims(&tenant, grant.user, &grant.scopes)).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"")],
        )
            .into_response(),
    }
}

/// RFC 7009: revoking an unknown token is not an error.
async fn revoke(State(app): State<AppState>, body: Bytes) -> Response {
    let Ok(params) = form(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is malformed.",
        );
    };
    let token = params.get("token").map(String::as_str).unwrap_or_default();
    let mut tenant = app.tenant();
    if params.get("client_id").map(String::as_str) != Some(tenant.seed.tenant.client_id.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client_id is not registered with this tenant.",
        );
    }
    if let Some(family) = tenant.refresh.get(token).map(|r| r.family.clone()) {
        tenant.refresh.retain(|_, r| r.family != family);
    }
    tenant.access.remove(token);
    StatusCode::OK.into_response()
}
