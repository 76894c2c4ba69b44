//! Clients of the identity providers' self-service APIs: registering recovery methods and
//! resetting a forgotten password. Each adapter is a real client of a real public API.

pub mod error;
pub mod graph;
pub mod okta;
pub mod throttle;

pub use error::ProviderError;

use openidconnect::http::{header, HeaderMap, Method, Request, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::auth::http::{HttpClient, Timeouts};
use crate::auth::AuthError;
use crate::config::{Config, ProviderKind};
use crate::CoreError;

/// The Okta adapter for an Okta (or Okta-flavoured sandbox) configuration. Entra has no public
/// API for an unauthenticated reset: its hand-off to the SSPR portal is another path.
pub fn okta_for(config: &Config) -> Result<okta::Okta, CoreError> {
    let issuer = match config.provider.kind {
        ProviderKind::Okta | ProviderKind::Sandbox => config.provider.issuer.as_deref(),
        ProviderKind::Entra => None,
    }
    .ok_or(AuthError::NotAvailable)?;
    let http = HttpClient::new(Timeouts::default()).map_err(AuthError::Http)?;
    Ok(okta::Okta::for_issuer(issuer, http)?)
}

/// The Graph client for an Entra configuration.
pub fn graph_for(config: &Config) -> Result<graph::Graph, CoreError> {
    if config.provider.kind != ProviderKind::Entra {
        return Err(AuthError::NotAvailable.into());
    }
    let http = HttpClient::new(Timeouts::default()).map_err(AuthError::Http)?;
    Ok(graph::Graph::new(config.provider.graph_v1(), http)?)
}

/// Where the configured provider keeps the user's methods, for onboarding.
pub fn directory_for(config: &Config) -> Result<crate::journeys::onboarding::Directory, CoreError> {
    use crate::journeys::onboarding::Directory;
    Ok(match config.provider.kind {
        ProviderKind::Entra => Directory::Entra {
            graph: graph_for(config)?,
            security_info: config.provider.security_info_url().to_owned(),
        },
        ProviderKind::Okta | ProviderKind::Sandbox => Directory::Okta(okta_for(config)?),
    })
}

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
