//! One log line per provider call, for the helpdesk: method, path template, status, duration,
//! the journey's support reference and the provider's request ids.
//!
//! What reaches the log is built here only from values that cannot hold a secret: the path with
//! every segment that could be an id, a username or an address replaced by `{id}` (and never
//! the query, where `state` and `code` travel), and request ids that pass [`loggable_id`].
//! Never a body, never a header other than the request ids.

use std::fmt::Display;
use std::time::Instant;

use openidconnect::http::header::CONTENT_TYPE;
use openidconnect::http::{request, HeaderMap, HeaderValue, Method, StatusCode};

use crate::support::{self, SupportRef};

/// The header Graph reads the caller's request id from, and echoes back.
pub const CLIENT_REQUEST_ID: &str = "client-request-id";

/// A provider call under way.
pub(super) struct Traced {
    method: Method,
    path: String,
    started: Instant,
    reference: Option<SupportRef>,
    client_request_id: Option<String>,
}

impl Traced {
    /// Notes the call and, during a journey, tags it with a fresh `client-request-id`.
    pub(super) fn begin(parts: &mut request::Parts) -> Traced {
        let reference = support::active();
        let client_request_id = reference.as_ref().map(|_| support::client_request_id());
        if let Some(value) = client_request_id
            .as_deref()
            .and_then(|id| HeaderValue::from_str(id).ok())
        {
            parts.headers.insert(CLIENT_REQUEST_ID, value);
        }
        Traced {
            method: parts.method.clone(),
            path: path_template(parts.uri.path()),
            started: Instant::now(),
            reference,
            client_request_id,
        }
    }

    /// Logs the answer (INFO) or why there was none (WARN).
    pub(super) fn finish(self, outcome: Result<(StatusCode, &HeaderMap, usize), &dyn Display>) {
        let reference = self.reference.as_ref().map_or("-", SupportRef::as_str);
        let duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match outcome {
            Ok((status, headers, bytes)) => {
                let echoed = header_id(headers, CLIENT_REQUEST_ID);
                let client_request_id = echoed.or(self.client_request_id.as_deref());
                let request_id = header_id(headers, "request-id")
                    .or_else(|| header_id(headers, "x-okta-request-id"));
                tracing::info!(
                    %reference,
                    method = %self.method,
                    path = %self.path,
                    status = status.as_u16(),
                    duration_ms,
                    client_request_id = %client_request_id.unwrap_or("-"),
                    request_id = %request_id.unwrap_or("-"),
                    "provider call"
                );
                // Enough to tell an HTML captive portal or an empty answer from an API's JSON.
                tracing::debug!(
                    %reference,
                    content_type = %headers
                        .get(CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(media_type)
                        .unwrap_or("-"),
                    bytes,
                    "provider answer"
                );
            }
            Err(error) => tracing::warn!(
                %reference,
                method = %self.method,
                path = %self.path,
                duration_ms,
                client_request_id = %self.client_request_id.as_deref().unwrap_or("-"),
                %error,
                "provider call failed"
            ),
        }
    }
}

fn header_id<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(loggable_id)
}

/// A request id as the provider sent it, if it looks like one: short, and only characters ids
/// are made of (so a provider cannot write anything else, or forge a line, into the log).
pub fn loggable_id(id: &str) -> Option<&str> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then_some(id)
}

/// The media type of a `Content-Type` (`application/json`), without its parameters, if it
/// looks like one.
fn media_type(value: &str) -> Option<&str> {
    let media = value.split(';').next()?.trim();
    let ok = media.len() <= 64
        && media.contains('/')
        && media
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '+' | '.' | '-'));
    ok.then_some(media)
}

/// The path with what varies per user replaced by `{id}`: only segments made of letters (API
/// words like `authn`, `reset_password`, `$ref`) and version segments (`v1`, `v1.0`) are kept, so
/// ids, usernames and addresses (which hold digits, `@`, `+` or inner dots) never reach the log.
pub fn path_template(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| if is_api_word(s) { s } else { "{id}" })
        .collect();
    segments.join("/")
}

fn is_api_word(segment: &str) -> bool {
    let version = segment
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'));
    // `$ref`, `.well-known`, `oauth2`: letters, then at most two digits at the end.
    let word = segment.trim_start_matches(['$', '.']);
    let (letters, digits) = word.split_at(
        word.find(|c: char| c.is_ascii_digit())
            .unwrap_or(word.len()),
    );
    let is_word = !letters.is_empty()
        && letters.len() <= 40
        && letters
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_'))
        && digits.len() <= 2
        && digits.chars().all(|c| c.is_ascii_digit());
    segment.is_empty() || version || is_word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_keep_api_words_and_hide_ids_and_addresses() {
        assert_eq!(
            path_template("/api/v1/authn/recovery/password"),
            "/api/v1/authn/recovery/password"
        );
        assert_eq!(
            path_template(
                "/v1.0/me/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7"
            ),
            "/v1.0/me/authentication/phoneMethods/{id}"
        );
        assert_eq!(
            path_template("/idp/myaccount/phones/mbl1a2b3c/challenge"),
            "/idp/myaccount/phones/{id}/challenge"
        );
        assert_eq!(
            path_template("/api/v1/users/rafael.registered@contoso.example"),
            "/api/v1/users/{id}"
        );
        assert_eq!(
            path_template("/api/v1/users/+14255550123"),
            "/api/v1/users/{id}"
        );
        assert_eq!(path_template("/v1.0/$batch"), "/v1.0/$batch");
        assert_eq!(
            path_template("/api/v1/authn/credentials/reset_password"),
            "/api/v1/authn/credentials/reset_password"
        );
        assert_eq!(
            path_template("/oauth2/default/.well-known/openid-configuration"),
            "/oauth2/default/.well-known/openid-configuration"
        );
        assert_eq!(
            path_template("/api/v1/users/00u1abcd9"),
            "/api/v1/users/{id}"
        );
    }

    #[test]
    fn only_the_media_type_of_a_content_type_is_logged() {
        assert_eq!(
            media_type("application/json; okta-version=1.0.0"),
            Some("application/json")
        );
        assert_eq!(media_type("text/html;charset=utf-8"), Some("text/html"));
        assert_eq!(media_type("nonsense with spaces"), None);
    }

    #[test]
    fn only_id_shaped_request_ids_are_logged() {
        assert_eq!(loggable_id("Xa1-b_2.c"), Some("Xa1-b_2.c"));
        assert_eq!(loggable_id("a\nreference=LK-FAKE-00"), None);
        assert_eq!(loggable_id("id with spaces"), None);
        assert_eq!(loggable_id(""), None);
        assert_eq!(loggable_id(&"a".repeat(65)), None);
    }
}
