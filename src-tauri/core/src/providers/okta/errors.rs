//! Okta's error answers (`errorCode`, `errorSummary`, `errorCauses`) in the user's terms.

use openidconnect::http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::auth::untrusted_text;
use crate::providers::ProviderError;

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
            retry_after: crate::providers::throttle::retry_after(headers),
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // The catalogue's E0000038: "This operation is not allowed in the user's current status."
        assert_eq!(
            err(
                403,
                r#"{"errorCode":"E0000038","errorSummary":"This operation is not allowed in the user's current status."}"#
            ),
            ProviderError::NotAllowed
        );
    }
}
