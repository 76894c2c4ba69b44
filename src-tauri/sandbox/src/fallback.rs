//! What the tenant answers for a path or method it does not serve: what the vendor would, by
//! path prefix. Okta answers its JSON error (`E0000008` "The requested path was not found" from
//! its catalogue; `E0000022` for a method), Graph an ODataError
//! (`{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`, codes
//! from `tests/contract/specs/graph/examples/odata-error.json`). Anything else (the sign-in page,
//! the outbox, the control API) keeps axum's bare 404/405.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::SecondsFormat;
use serde_json::json;

use crate::okta::errors;
use crate::random;

/// Okta's surfaces: the Authentication and management APIs, MyAccount and IDX, and the
/// authorization servers.
const OKTA_PREFIXES: &[&str] = &["/api/v1/", "/idp/", "/oauth2/"];
/// Graph, as the sandbox serves it (`/v1.0/me`, `/v1.0/domains`).
const GRAPH_PREFIXES: &[&str] = &["/v1.0/"];

enum Vendor {
    Okta,
    Graph,
    Neither,
}

fn vendor(uri: &Uri) -> Vendor {
    let path = uri.path();
    if OKTA_PREFIXES.iter().any(|p| path.starts_with(p)) {
        Vendor::Okta
    } else if GRAPH_PREFIXES.iter().any(|p| path.starts_with(p)) {
        Vendor::Graph
    } else {
        Vendor::Neither
    }
}

/// No route for the path.
pub async fn path_not_served(headers: HeaderMap, uri: Uri) -> Response {
    match vendor(&uri) {
        Vendor::Okta => errors::error(
            StatusCode::NOT_FOUND,
            "E0000008",
            "The requested path was not found",
            &[],
        ),
        Vendor::Graph => odata(
            &headers,
            StatusCode::NOT_FOUND,
            "itemNotFound",
            &format!(
                "Resource not found for the segment '{}'.",
                last_segment(&uri)
            ),
        ),
        Vendor::Neither => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A route for the path, but not for the method.
pub async fn method_not_served(headers: HeaderMap, method: Method, uri: Uri) -> Response {
    match vendor(&uri) {
        Vendor::Okta => errors::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "E0000022",
            "The endpoint does not support the provided HTTP method",
            &[],
        ),
        Vendor::Graph => odata(
            &headers,
            StatusCode::METHOD_NOT_ALLOWED,
            "notSupported",
            &format!("The HTTP method '{method}' is not supported for this resource."),
        ),
        Vendor::Neither => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

fn last_segment(uri: &Uri) -> String {
    let segment = uri.path().trim_end_matches('/').rsplit('/').next();
    // Echoed into JSON only; kept short so a long path does not make a long answer.
    segment.unwrap_or_default().chars().take(64).collect()
}

/// Graph's error shape, with the request ids Graph puts in the body and the headers.
fn odata(headers: &HeaderMap, status: StatusCode, code: &str, message: &str) -> Response {
    let request_id = random::guid();
    let client_request_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64)
        .map_or_else(|| request_id.clone(), str::to_owned);
    let body = json!({ "error": {
        "code": code,
        "message": message,
        "innerError": {
            "date": chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            "request-id": request_id,
            "client-request-id": client_request_id,
        },
    }});
    let mut response = (status, Json(body)).into_response();
    for (name, value) in [
        ("request-id", &request_id),
        ("client-request-id", &client_request_id),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(name, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    #[test]
    fn the_vendor_is_chosen_by_path_prefix() {
        let v = |p: &str| vendor(&p.parse::<Uri>().expect("uri"));
        assert!(matches!(v("/api/v1/authn/nope"), Vendor::Okta));
        assert!(matches!(v("/idp/myaccount/nope"), Vendor::Okta));
        assert!(matches!(v("/oauth2/default/v1/nope"), Vendor::Okta));
        assert!(matches!(v("/v1.0/me/nope"), Vendor::Graph));
        assert!(matches!(v("/outbox/nope"), Vendor::Neither));
        assert!(matches!(v("/v1.0"), Vendor::Neither));
    }

    #[test]
    fn json_content_type_on_vendor_errors() {
        let r = odata(
            &HeaderMap::new(),
            StatusCode::NOT_FOUND,
            "itemNotFound",
            "x",
        );
        assert_eq!(
            r.headers()
                .get(header::CONTENT_TYPE)
                .map(HeaderValue::as_bytes),
            Some(&b"application/json"[..])
        );
    }
}
