//! OpenID Connect as an Okta custom authorization server (`/oauth2/default`): discovery, keys,
//! the authorization endpoint with a sign-in page, the token endpoint (authorization code with
//! PKCE S256 required, rotating refresh tokens), userinfo and revocation.

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
use crate::tenant::{AuthorizationCode, AuthorizeRequest, Grant, RefreshGrant, Tenant, UserId};
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
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth2/default/.well-known/openid-configuration",
            get(discovery),
        )
        .route("/oauth2/default/v1/keys", get(jwks))
        .route("/oauth2/default/v1/authorize", get(authorize).post(sign_in))
        .route("/oauth2/default/v1/token", post(token))
        .route("/oauth2/default/v1/userinfo", get(userinfo).post(userinfo))
        .route("/oauth2/default/v1/revoke", post(revoke))
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
    redirect_uri: &str,
    state: &str,
    error: &str,
    description: &str,
) -> Response {
    redirect_to(
        app,
        redirect_uri,
        &[
            ("error", error),
            ("error_description", description),
            ("state", state),
        ],
    )
}

fn redirect_to(app: &AppState, redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
                q.append_pair("iss", &app.issuer());
            }
            // 302, as Okta answers (RFC 6749 allows any redirection).
            (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
        }
        Err(_) => error_page(StatusCode::BAD_REQUEST, "The redirect URI is not valid."),
    }
}

/// RFC 8252 §7.3: a loopback IP literal (or `localhost`), any port, the registered path.
fn loopback_redirect(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && matches!(u.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
            && u.path() == "/callback"
            && u.fragment().is_none()
            && u.username().is_empty()
    })
}

/// Graph scopes may come with their resource prefix; the grant keeps the bare name.
fn normalise_scope(scope: &str) -> &str {
    scope.strip_prefix(GRAPH_PREFIX).unwrap_or(scope)
}

async fn authorize(State(app): State<AppState>, RawQuery(query): RawQuery) -> Response {
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
    if get("client_id") != Some(tenant.seed.tenant.client_id.as_str()) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "The client_id is not registered with this tenant.",
        );
    }
    let Some(redirect_uri) = get("redirect_uri").filter(|u| loopback_redirect(u)) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "The redirect_uri is not registered for this client.",
        );
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
    if field("action") == "cancel" {
        tenant.authorize_requests.remove(&tx);
        return redirect_error(
            &app,
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
        let page = login_page::form(&tenant, &tx, &username, Some(&message));
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
        let page = login_page::form(&tenant, &tx, &username, Some("Unable to sign in."));
        return (StatusCode::UNAUTHORIZED, page).into_response();
    };
    tenant.authorize_requests.remove(&tx);
    let code = random::secret();
    let client_id = tenant.seed.tenant.client_id.clone();
    tenant.codes.insert(
        code.clone(),
        AuthorizationCode {
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

async fn token(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request must be application/x-www-form-urlencoded.",
        );
    }
    let params = match form(&body) {
        Ok(p) => p,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e),
    };
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    let mut tenant = app.tenant();
    if get("client_id") != tenant.seed.tenant.client_id {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client_id is not registered with this tenant.",
        );
    }
    match get("grant_type") {
        "authorization_code" => redeem_code(
            &app,
            &mut tenant,
            get("code"),
            get("redirect_uri"),
            get("code_verifier"),
        ),
        "refresh_token" => redeem_refresh(&app, &mut tenant, get("refresh_token")),
        "" => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The grant_type parameter is required.",
        ),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        ),
    }
}

fn redeem_code(
    app: &AppState,
    tenant: &mut Tenant,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Response {
    // Single use: the code is gone whatever happens next.
    let Some(issued) = tenant.codes.remove(code) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The authorization code is invalid or has expired.",
        );
    };
    if issued.expires_at <= tenant.now() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The authorization code is invalid or has expired.",
        );
    }
    if issued.redirect_uri != redirect_uri {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The redirect_uri does not match the one used in the authorization request.",
        );
    }
    if verifier.is_empty() {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "PKCE code verifier is required when the token endpoint authentication method is 'NONE'.");
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !bool::from(computed.as_bytes().ct_eq(issued.code_challenge.as_bytes())) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "PKCE verification failed.",
        );
    }
    let grant = Grant {
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

fn redeem_refresh(app: &AppState, tenant: &mut Tenant, token: &str) -> Response {
    let Some(entry) = tenant.refresh.get_mut(token) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The refresh token is invalid or expired.",
        );
    };
    if entry.used {
        // A rotated token came back: it leaked, so the whole family goes (RFC 9700 §4.14.2).
        let family = entry.family.clone();
        tenant.refresh.retain(|_, r| r.family != family);
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
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
    let mut claims = json!({
        "iss": app.issuer(),
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
