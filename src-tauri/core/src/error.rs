//! One error type for the core, and the closed set of codes the UI understands.

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::auth::AuthError;
use crate::config::ConfigError;

/// A stable code the UI maps to a message and a way forward. Never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ConfigMissing,
    ConfigUnreadable,
    ConfigInvalid,
    SignInCancelled,
    SignInTimedOut,
    SignInDenied,
    ConsentRequired,
    UserNotInTenant,
    ConditionalAccess,
    ProviderError,
    SignInUnverified,
    SignInExpired,
    ClockSkew,
    ProviderMisconfigured,
    Timeout,
    TlsFailure,
    ProviderUnreachable,
    PortUnavailable,
    BrowserUnavailable,
    KeyringUnavailable,
    SignInUnavailable,
    CodeWrong,
    CodeExpired,
    CodeSpent,
    AnswerWrong,
    CurrentPasswordWrong,
    RateLimited,
    PasswordRejected,
    SessionExpired,
    PhoneRefused,
    EmailRefused,
    NotAllowed,
    SignInRequired,
    PermissionMissing,
    Internal,
}

impl ErrorCode {
    /// The key of the localised message in `ui/src/i18n/*.json`.
    pub fn message_key(self) -> &'static str {
        match self {
            ErrorCode::ConfigMissing => "error.config_missing",
            ErrorCode::ConfigUnreadable => "error.config_unreadable",
            ErrorCode::ConfigInvalid => "error.config_invalid",
            ErrorCode::SignInCancelled => "error.sign_in_cancelled",
            ErrorCode::SignInTimedOut => "error.sign_in_timed_out",
            ErrorCode::SignInDenied => "error.sign_in_denied",
            ErrorCode::ConsentRequired => "error.consent_required",
            ErrorCode::UserNotInTenant => "error.user_not_in_tenant",
            ErrorCode::ConditionalAccess => "error.conditional_access",
            ErrorCode::ProviderError => "error.provider_error",
            ErrorCode::SignInUnverified => "error.sign_in_unverified",
            ErrorCode::SignInExpired => "error.sign_in_expired",
            ErrorCode::ClockSkew => "error.clock_skew",
            ErrorCode::ProviderMisconfigured => "error.provider_misconfigured",
            ErrorCode::Timeout => "error.timeout",
            ErrorCode::TlsFailure => "error.tls_failure",
            ErrorCode::ProviderUnreachable => "error.provider_unreachable",
            ErrorCode::PortUnavailable => "error.port_unavailable",
            ErrorCode::BrowserUnavailable => "error.browser_unavailable",
            ErrorCode::KeyringUnavailable => "error.keyring_unavailable",
            ErrorCode::SignInUnavailable => "error.sign_in_unavailable",
            ErrorCode::CodeWrong => "error.code_wrong",
            ErrorCode::CodeExpired => "error.code_expired",
            ErrorCode::CodeSpent => "error.code_spent",
            ErrorCode::AnswerWrong => "error.answer_wrong",
            ErrorCode::CurrentPasswordWrong => "error.current_password_wrong",
            ErrorCode::RateLimited => "error.rate_limited",
            ErrorCode::PasswordRejected => "error.password_rejected",
            ErrorCode::SessionExpired => "error.session_expired",
            ErrorCode::PhoneRefused => "error.phone_refused",
            ErrorCode::EmailRefused => "error.email_refused",
            ErrorCode::NotAllowed => "error.not_allowed",
            ErrorCode::SignInRequired => "error.sign_in_required",
            ErrorCode::PermissionMissing => "error.permission_missing",
            ErrorCode::Internal => "error.internal",
        }
    }
}

#[derive(Debug, Error)]
pub enum CoreError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Provider(#[from] crate::providers::ProviderError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Config(e) => e.code(),
            CoreError::Auth(e) => e.code(),
            CoreError::Provider(e) => e.code(),
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_message_key() {
        let codes = [
            ErrorCode::ConfigMissing,
            ErrorCode::ConfigUnreadable,
            ErrorCode::ConfigInvalid,
            ErrorCode::SignInCancelled,
            ErrorCode::SignInTimedOut,
            ErrorCode::SignInDenied,
            ErrorCode::ConsentRequired,
            ErrorCode::UserNotInTenant,
            ErrorCode::ConditionalAccess,
            ErrorCode::ProviderError,
            ErrorCode::SignInUnverified,
            ErrorCode::SignInExpired,
            ErrorCode::ClockSkew,
            ErrorCode::ProviderMisconfigured,
            ErrorCode::Timeout,
            ErrorCode::TlsFailure,
            ErrorCode::ProviderUnreachable,
            ErrorCode::PortUnavailable,
            ErrorCode::BrowserUnavailable,
            ErrorCode::KeyringUnavailable,
            ErrorCode::SignInUnavailable,
            ErrorCode::Internal,
        ];
        let mut keys: Vec<_> = codes.iter().map(|c| c.message_key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), codes.len());
        assert!(keys.iter().all(|k| k.starts_with("error.")));
    }
}
