//! Okta's error answers (`errorCode`, `errorSummary`, `errorCauses`) in the user's terms.

use openidconnect::http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::auth::untrusted_text;
use crate::providers::ProviderError;

/// The longest wait the app relays as it is; longer waits are capped, never ignored.
const MAX_RETRY_AFTER: u64 = 3600;
/// When a 429 names no wait at all.
const DEFAULT_RETRY_AFTER: u64 = 60;

pub fn from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    signed_in: bool,
) -> ProviderError {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = json["errorCode"].as_str().unwrap_or_default();
    let summary = json["errorSummary"].as_str().unwrap_or_default();
    let causes: Vec<String> = json["errorCauses"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["errorSummary"].as_str())
                .map(untrusted_text)
                .collect()
        })
        .unwrap_or_default();
    let cause = causes.first().map(String::as_str).unwrap_or_default();
    match (status, code) {
        (StatusCode::TOO_MANY_REQUESTS, _) => ProviderError::RateLimited {
            retry_after: retry_after(headers),
        },
        (StatusCode::UNAUTHORIZED, _) if signed_in => ProviderError::SignInRequired,
        (_, "E0000011") => ProviderError::SessionExpired,
        (_, "E0000068") if cause.contains("expired") => ProviderError::CodeExpired,
        (_, "E0000068") if cause.contains("no longer") => ProviderError::CodeSpent,
        (_, "E0000068") => ProviderError::WrongCode,
        (_, "E0000087") => ProviderError::WrongAnswer,
        (_, "E0000080") => ProviderError::PasswordRejected { reasons: causes },
        (_, "E0000006") => ProviderError::PermissionMissing {
            permission: None,
            request_id: None,
        },
        (_, "E0000038") => ProviderError::NotAllowed,
        (_, "E0000001") if summary.ends_with("phoneNumber") => ProviderError::PhoneRefused,
        (_, "E0000001") if summary.ends_with("email") => ProviderError::EmailRefused,
        _ => ProviderError::Unexpected {
            status: status.as_u16(),
        },
    }
}

/// `Retry-After` (seconds or an HTTP date), else Okta's `X-Rate-Limit-Reset` (epoch seconds),
/// capped; garbage or a past time means "a minute".
pub(crate) fn retry_after(headers: &HeaderMap) -> u64 {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now();
    let from_retry = header("retry-after").and_then(|v| {
        v.trim().parse::<u64>().ok().or_else(|| {
            chrono::DateTime::parse_from_rfc2822(v)
                .ok()
                .and_then(|t| u64::try_from((t.timestamp() - now.timestamp()).max(0)).ok())
        })
    });
    let from_reset = || {
        header("x-rate-limit-reset")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .and_then(|reset| u64::try_from(reset - now.timestamp()).ok())
    };
    from_retry
        .or_else(from_reset)
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_RETRY_AFTER)
        .min(MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("ascii"));
        }
        h
    }

    #[test]
    fn retry_after_reads_seconds_dates_and_okta_reset_and_caps_garbage() {
        assert_eq!(retry_after(&headers(&[("retry-after", "17")])), 17);
        assert_eq!(retry_after(&headers(&[("retry-after", "0")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "-5")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "999999")])), 3600);
        let reset = (chrono::Utc::now().timestamp() + 42).to_string();
        let got = retry_after(&headers(&[("x-rate-limit-reset", &reset)]));
        assert!((41..=42).contains(&got), "{got}");
        let date = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let got = retry_after(&headers(&[("retry-after", &date)]));
        assert!((88..=90).contains(&got), "{got}");
        assert_eq!(retry_after(&HeaderMap::new()), 60);
    }

    #[test]
    fn errors_map_to_what_the_user_can_do() {
        let err = |status: u16, body: &str| {
            from_response(
                StatusCode::from_u16(status).expect("status"),
                &HeaderMap::new(),
                body.as_bytes(),
                false,
            )
        };
        assert_eq!(
            err(
                403,
                r#"{"errorCode":"E0000068","errorCauses":[{"errorSummary":"Your passcode doesn't match our records."}]}"#
            ),
            ProviderError::WrongCode
        );
        assert_eq!(
            err(
                403,
                r#"{"errorCode":"E0000068","errorCauses":[{"errorSummary":"Your passcode has expired."}]}"#
            ),
            ProviderError::CodeExpired
        );
        assert_eq!(
            err(
                403,
                r#"{"errorCode":"E0000080","errorCauses":[{"errorSummary":"Too short\u0007"}]}"#
            ),
            ProviderError::PasswordRejected {
                reasons: vec!["Too short".into()]
            }
        );
        assert_eq!(
            err(
                400,
                r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: phoneNumber"}"#
            ),
            ProviderError::PhoneRefused
        );
        assert_eq!(
            err(500, "<html>oops</html>"),
            ProviderError::Unexpected { status: 500 }
        );
        assert_eq!(
            err(200, "not json"),
            ProviderError::Unexpected { status: 200 }
        );
        assert_eq!(
            from_response(StatusCode::UNAUTHORIZED, &HeaderMap::new(), b"{}", true),
            ProviderError::SignInRequired
        );
    }
}
