//! Microsoft identity platform specifics: which tenant segments its paths accept, its discovery
//! document, and its AADSTS errors, which carry `error_codes` and trace ids besides OAuth's fields.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::random;
use crate::shared::AppState;
use crate::tenant::Tenant;

/// The tenant segment of an Entra path: the directory id, the seed's domain, or
/// `organizations`/`common`. Others are AADSTS90002.
pub(super) fn entra_tenant_known(tenant: &Tenant, segment: &str) -> bool {
    let seed = &tenant.seed.tenant;
    segment.eq_ignore_ascii_case(&seed.entra_tenant_id)
        || segment.eq_ignore_ascii_case(&seed.domain)
        || matches!(segment, "organizations" | "common")
}

pub(super) fn tenant_not_found(segment: &str) -> Response {
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
pub(super) async fn entra_discovery(
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
pub(super) fn entra_error(
    status: StatusCode,
    error: &str,
    aadsts: u32,
    description: &str,
) -> Response {
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

/// The OAuth `error` and the AADSTS description Entra's authorization redirect gives for a
/// fault a test set on a user (texts from reference-error-codes).
pub(super) fn aadsts_message(code: u32, client_id: &str) -> (&'static str, String) {
    match code {
        65001 => ("consent_required", format!("AADSTS65001: The user or administrator has not consented to use the application with ID '{client_id}' named 'Latchkey'. Send an interactive authorization request for this user and resource.")),
        65004 => ("access_denied", "AADSTS65004: User declined to consent to access the app.".to_owned()),
        90094 | 90095 => ("consent_required", format!("AADSTS{code}: Admin consent is required for the permissions requested by this application.")),
        53003 => ("access_denied", "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.".to_owned()),
        50020 => ("access_denied", "AADSTS50020: User account from identity provider does not exist in tenant and cannot access the application in that tenant.".to_owned()),
        50076 | 50079 => ("interaction_required", format!("AADSTS{code}: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the application.")),
        other => ("access_denied", format!("AADSTS{other}: The sandbox was asked for this error.")),
    }
}
