//! One JSON exchange with a provider API, shared by the Okta and Graph clients.

use openidconnect::http::{header, HeaderMap, Method, Request, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::error::ProviderError;
use crate::auth::http::HttpClient;

/// One JSON exchange with a provider API: the request (with `accept`, an optional bearer token
/// and an optional JSON body), then the JSON answer (`Null` for an empty one), or the error
/// `refusal` reads from a non-success answer in that vendor's shape.
pub(crate) async fn exchange(
    http: &HttpClient,
    method: Method,
    url: &url::Url,
    accept: &str,
    bearer: Option<&SecretString>,
    body: Option<&Value>,
    refusal: impl FnOnce(StatusCode, &HeaderMap, &[u8]) -> ProviderError,
) -> Result<Value, ProviderError> {
    exchange_dated(http, method, url, accept, bearer, body, refusal)
        .await
        .map(|(json, _)| json)
}

/// [`exchange`], with the time the provider's `Date` header gives: the provider's clock decides
/// when a password expires, whatever this computer's clock says.
pub(crate) async fn exchange_dated(
    http: &HttpClient,
    method: Method,
    url: &url::Url,
    accept: &str,
    bearer: Option<&SecretString>,
    body: Option<&Value>,
    refusal: impl FnOnce(StatusCode, &HeaderMap, &[u8]) -> ProviderError,
) -> Result<(Value, Option<chrono::DateTime<chrono::Utc>>), ProviderError> {
    let malformed = || ProviderError::Unexpected { status: 0 };
    let mut request = Request::builder()
        .method(method)
        .uri(url.as_str())
        .header(header::ACCEPT, accept);
    if let Some(token) = bearer {
        request = request.header(
            header::AUTHORIZATION,
            format!("Bearer {}", token.expose_secret()),
        );
    }
    let bytes = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            serde_json::to_vec(json).map_err(|_| malformed())?
        }
        None => Vec::new(),
    };
    let response = http
        .send(request.body(bytes).map_err(|_| malformed())?)
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(refusal(status, response.headers(), response.body()));
    }
    let date = response
        .headers()
        .get(header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        .map(|d| d.with_timezone(&chrono::Utc));
    if response.body().is_empty() {
        return Ok((Value::Null, date));
    }
    serde_json::from_slice(response.body())
        .map(|json| (json, date))
        .map_err(|_| ProviderError::Unexpected {
            status: status.as_u16(),
        })
}
