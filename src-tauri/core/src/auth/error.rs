use thiserror::Error;

use super::http::HttpError;
use crate::error::ErrorCode;

/// Why a sign-in or a refresh did not give us a session. Carries no secret; the provider's own
/// `error_description` is kept only as untrusted, length-capped text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AuthError {
    #[error("sign-in was cancelled")]
    Cancelled,
    #[error("sign-in timed out")]
    TimedOut,
    #[error("the provider denied the sign-in")]
    AccessDenied { description: Option<String> },
    #[error("the organisation has not granted Latchkey the consent it needs")]
    ConsentRequired,
    #[error("the provider returned error `{code}`")]
    ProviderError { code: String },
    #[error("the sign-in response did not match this sign-in (state)")]
    StateMismatch,
    #[error("the sign-in response came from another issuer")]
    IssuerMismatch,
    #[error("the sign-in response had no authorization code")]
    MissingCode,
    #[error("the sign-in response was malformed")]
    MalformedCallback,
    #[error("the provider refused the authorization grant (expired or already used)")]
    InvalidGrant,
    #[error("the ID token was not valid")]
    InvalidIdToken,
    #[error("the ID token's times do not fit this computer's clock")]
    ClockSkew,
    #[error("the provider's answer was not understood")]
    BadResponse,
    #[error("the provider does not support PKCE with S256")]
    PkceUnsupported,
    #[error("the provider's configuration is inconsistent")]
    Misconfigured,
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("no loopback port is available for the sign-in redirect")]
    PortUnavailable,
    #[error("the system browser could not be opened")]
    BrowserUnavailable,
    #[error("sign-in is not available with this configuration")]
    NotAvailable,
}

impl AuthError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::Cancelled => ErrorCode::SignInCancelled,
            AuthError::TimedOut => ErrorCode::SignInTimedOut,
            AuthError::AccessDenied { .. } => ErrorCode::SignInDenied,
            AuthError::ConsentRequired => ErrorCode::ConsentRequired,
            AuthError::ProviderError { .. } => ErrorCode::ProviderError,
            AuthError::StateMismatch
            | AuthError::IssuerMismatch
            | AuthError::MissingCode
            | AuthError::MalformedCallback
            | AuthError::InvalidIdToken => ErrorCode::SignInUnverified,
            AuthError::InvalidGrant => ErrorCode::SignInExpired,
            AuthError::ClockSkew => ErrorCode::ClockSkew,
            AuthError::BadResponse | AuthError::PkceUnsupported | AuthError::Misconfigured => {
                ErrorCode::ProviderMisconfigured
            }
            AuthError::Http(HttpError::Timeout) => ErrorCode::Timeout,
            AuthError::Http(HttpError::Tls) => ErrorCode::TlsFailure,
            AuthError::Http(HttpError::Unreachable) => ErrorCode::ProviderUnreachable,
            AuthError::Http(HttpError::TooLarge | HttpError::Other) => ErrorCode::ProviderError,
            AuthError::PortUnavailable => ErrorCode::PortUnavailable,
            AuthError::BrowserUnavailable => ErrorCode::BrowserUnavailable,
            AuthError::NotAvailable => ErrorCode::SignInUnavailable,
        }
    }

    /// Maps an OAuth error response (`error`, `error_description`) from the redirect.
    pub(crate) fn from_oauth(error: &str, description: Option<&str>) -> AuthError {
        let description = description.map(untrusted_text);
        // Entra reports missing admin consent as AADSTS65001 / AADSTS90094.
        let entra_consent = description
            .as_deref()
            .is_some_and(|d| d.contains("AADSTS65001") || d.contains("AADSTS90094"));
        match error {
            "consent_required" => AuthError::ConsentRequired,
            _ if entra_consent => AuthError::ConsentRequired,
            "access_denied" => AuthError::AccessDenied { description },
            other => AuthError::ProviderError {
                code: untrusted_text(other),
            },
        }
    }
}

/// Text from the provider is shown as text only; cap it and drop control characters.
pub(crate) fn untrusted_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_errors_map_to_what_the_user_can_do() {
        assert_eq!(
            AuthError::from_oauth("access_denied", None),
            AuthError::AccessDenied { description: None }
        );
        assert_eq!(
            AuthError::from_oauth("consent_required", None),
            AuthError::ConsentRequired
        );
        assert_eq!(
            AuthError::from_oauth(
                "invalid_client",
                Some("AADSTS65001: The user or administrator has not consented")
            ),
            AuthError::ConsentRequired
        );
        let AuthError::AccessDenied {
            description: Some(d),
        } = AuthError::from_oauth(
            "access_denied",
            Some(&format!("a\u{7}b{}", "x".repeat(1000))),
        )
        else {
            panic!("expected AccessDenied");
        };
        assert!(d.starts_with("ab") && d.chars().count() == 300);
    }
}
