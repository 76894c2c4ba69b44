//! One JSON exchange with a provider API, shared by the Okta and Graph clients.

use openidconnect::http::{header, HeaderMap, Method, Request, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::error::{ProviderError, Unconfirmed};
use crate::auth::http::HttpClient;

/// What a request does at the provider: a read, which may be sent again freely, or a change,
/// with what may have happened if it went out and its answer was lost (SECURITY.md T21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    Get,
    Post(Unconfirmed),
    Delete(Unconfirmed),
}

impl Ask {
    fn method(self) -> Method {
        match self {
            Ask::Get => Method::GET,
            Ask::Post(_) => Method::POST,
            Ask::Delete(_) => Method::DELETE,
        }
    }

    /// The error a failed send is: for a change that may have reached the provider, an
    /// unknown outcome, never a plain network error the UI would retry.
    fn failed(self, e: crate::auth::http::HttpError) -> ProviderError {
        match self {
            Ask::Get => ProviderError::Http(e),
            Ask::Post(what) | Ask::Delete(what) => what.unless_unsent(e),
        }
    }
}

/// One JSON exchange with a provider API: the request (with `accept`, an optional bearer token
/// and an optional JSON body), then the JSON answer (`Null` for an empty one), or the error
/// `refusal` reads from a non-success answer in that vendor's shape.
pub(crate) async fn exchange(
    http: &HttpClient,
    ask: Ask,
    url: &url::Url,
    accept: &str,
    bearer: Option<&SecretString>,
    body: Option<&Value>,
    refusal: impl FnOnce(StatusCode, &HeaderMap, &[u8]) -> ProviderError,
) -> Result<Value, ProviderError> {
    exchange_dated(http, ask, url, accept, bearer, body, refusal)
        .await
        .map(|(json, _)| json)
}

/// [`exchange`], with the time the provider's `Date` header gives: the provider's clock decides
/// when a password expires, whatever this computer's clock says.
pub(crate) async fn exchange_dated(
    http: &HttpClient,
    ask: Ask,
    url: &url::Url,
    accept: &str,
    bearer: Option<&SecretString>,
    body: Option<&Value>,
    refusal: impl FnOnce(StatusCode, &HeaderMap, &[u8]) -> ProviderError,
) -> Result<(Value, Option<chrono::DateTime<chrono::Utc>>), ProviderError> {
    let malformed = || ProviderError::Unexpected { status: 0 };
    let mut request = Request::builder()
        .method(ask.method())
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
        .await
        .map_err(|e| ask.failed(e))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::http::HttpError;

    /// A read keeps its network error, and so does a change that certainly never left; any
    /// other failure of a change is an unknown outcome (T21), a timeout and a too-large or
    /// broken answer alike.
    #[test]
    fn only_changes_that_may_have_arrived_are_unknown_outcomes() {
        let all = [
            HttpError::Timeout,
            HttpError::Unreachable,
            HttpError::Tls,
            HttpError::TooLarge,
            HttpError::Other,
        ];
        for e in all.clone() {
            assert_eq!(Ask::Get.failed(e.clone()), ProviderError::Http(e));
        }
        let change = Ask::Post(Unconfirmed::CodeSent);
        for e in all {
            let expected = if matches!(e, HttpError::Unreachable | HttpError::Tls) {
                ProviderError::Http(e.clone())
            } else {
                ProviderError::OutcomeUnknown {
                    what: Unconfirmed::CodeSent,
                }
            };
            assert_eq!(change.failed(e.clone()), expected, "{e:?}");
        }
        assert_eq!(
            Ask::Delete(Unconfirmed::MethodChanged).failed(HttpError::Timeout),
            ProviderError::OutcomeUnknown {
                what: Unconfirmed::MethodChanged
            }
        );
    }
}
