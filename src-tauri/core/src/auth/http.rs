//! The HTTP client for identity-provider calls: no redirects (RFC 9700 §4.11, captive portals),
//! bounded time, bounded body, and failures classified so the UI can say what happened.

use std::time::Duration;

use openidconnect::{HttpRequest, HttpResponse};
use thiserror::Error;

/// Bodies larger than this are refused: discovery documents, JWKS and token responses are a few KiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

/// Why a request got no usable answer. Never carries a body or a URL query.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HttpError {
    #[error("the request timed out")]
    Timeout,
    #[error("the server could not be reached")]
    Unreachable,
    #[error("the server's TLS certificate was not accepted")]
    Tls,
    #[error("the response was larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error("the request failed")]
    Other,
}

impl HttpError {
    /// Whether the request certainly never reached the server: no connection was made, or TLS
    /// was refused before anything was written. Then nothing changed there and sending it
    /// again is safe. Any other failure may come after the request was written (a timeout
    /// waiting for the answer, a connection closed mid-answer), so a change it asked for may
    /// have happened (SECURITY.md T21).
    pub fn nothing_sent(&self) -> bool {
        matches!(self, HttpError::Unreachable | HttpError::Tls)
    }
}

#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
}

impl HttpClient {
    pub fn new(timeouts: Timeouts) -> Result<HttpClient, HttpError> {
        let inner = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .user_agent(concat!("Latchkey/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| HttpError::Other)?;
        Ok(HttpClient { inner })
    }

    /// Sends `request` and reads at most [`MAX_BODY_BYTES`] of the answer. The call is logged,
    /// and tagged with a `client-request-id` during a journey (`super::http_trace`).
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (mut parts, body) = request.into_parts();
        let traced = super::http_trace::Traced::begin(&mut parts);
        let result = self.exchange(HttpRequest::from_parts(parts, body)).await;
        let outcome = result
            .as_ref()
            .map(|r| (r.status(), r.headers(), r.body().len()));
        traced.finish(outcome.map_err(|e| e as &dyn std::fmt::Display));
        result
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let mut response = self
            .inner
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(classify)?;
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY_BYTES as u64)
        {
            return Err(HttpError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(HttpError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = openidconnect::http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            out = out.header(name, value);
        }
        out.body(body).map_err(|_| HttpError::Other)
    }
}

/// Lets openidconnect use the client directly (a closure borrowing it is not `Send` for every
/// lifetime, which async Tauri commands need).
impl<'c> openidconnect::AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>,
    >;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// Connection failures first (a connect timeout included): only they say for certain that the
/// request was never written. A TLS error after the handshake is not one of them.
fn classify(e: reqwest::Error) -> HttpError {
    if e.is_connect() {
        return if is_tls(&e) {
            HttpError::Tls
        } else {
            HttpError::Unreachable
        };
    }
    if e.is_timeout() {
        return HttpError::Timeout;
    }
    HttpError::Other
}

/// Whether a TLS error is somewhere in the chain. rustls reports it inside an io::Error, which
/// the connector wraps in another: an io::Error's `source()` skips the error it wraps, so
/// each wrapped one is looked into.
fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(err) = current {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.get_ref().is_some_and(|inner| is_tls(inner)) {
                return true;
            }
        }
        current = err.source();
    }
    false
}
