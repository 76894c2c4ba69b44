//! What can go wrong when Latchkey asks a provider to register a method or reset a password,
//! in terms of what the user can do about it.

use thiserror::Error;

use crate::auth::http::HttpError;
use crate::codes::ErrorCode;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProviderError {
    #[error("the code does not match")]
    WrongCode,
    #[error("the code has expired")]
    CodeExpired,
    /// Used already, or too many wrong tries: only a new code helps.
    #[error("the code can no longer be used")]
    CodeSpent,
    #[error("the answer does not match")]
    WrongAnswer,
    #[error("the current password is not right")]
    CurrentPasswordWrong,
    #[error("too many requests; wait {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// The provider's own reasons, as untrusted plain text.
    #[error("the provider refused the new password")]
    PasswordRejected { reasons: Vec<String> },
    /// The reset or registration transaction expired or was ended.
    #[error("the reset session has expired")]
    SessionExpired,
    #[error("the phone number was refused")]
    PhoneRefused,
    #[error("the e-mail address was refused")]
    EmailRefused,
    #[error("the organisation does not allow this")]
    NotAllowed,
    /// 401 on a signed-in call: the user must sign in again.
    #[error("the sign-in is no longer valid")]
    SignInRequired,
    /// 403 for a missing scope or permission: IT must grant it. Names the permission the call
    /// documents, and the provider's request id for its support.
    #[error("Latchkey lacks a permission at the provider")]
    PermissionMissing {
        permission: Option<&'static str>,
        request_id: Option<String>,
    },
    #[error("the provider answered unexpectedly (HTTP {status})")]
    Unexpected { status: u16 },
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl ProviderError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ProviderError::WrongCode => ErrorCode::CodeWrong,
            ProviderError::CodeExpired => ErrorCode::CodeExpired,
            ProviderError::CodeSpent => ErrorCode::CodeSpent,
            ProviderError::WrongAnswer => ErrorCode::AnswerWrong,
            ProviderError::CurrentPasswordWrong => ErrorCode::CurrentPasswordWrong,
            ProviderError::RateLimited { .. } => ErrorCode::RateLimited,
            ProviderError::PasswordRejected { .. } => ErrorCode::PasswordRejected,
            ProviderError::SessionExpired => ErrorCode::SessionExpired,
            ProviderError::PhoneRefused => ErrorCode::PhoneRefused,
            ProviderError::EmailRefused => ErrorCode::EmailRefused,
            ProviderError::NotAllowed => ErrorCode::NotAllowed,
            ProviderError::SignInRequired => ErrorCode::SignInRequired,
            ProviderError::PermissionMissing { .. } => ErrorCode::PermissionMissing,
            ProviderError::Unexpected { .. } => ErrorCode::ProviderError,
            ProviderError::Http(HttpError::Timeout) => ErrorCode::Timeout,
            ProviderError::Http(HttpError::Tls) => ErrorCode::TlsFailure,
            ProviderError::Http(HttpError::Unreachable) => ErrorCode::ProviderUnreachable,
            ProviderError::Http(HttpError::TooLarge | HttpError::Other) => ErrorCode::ProviderError,
        }
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ProviderError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    pub fn details(&self) -> Vec<String> {
        match self {
            ProviderError::PasswordRejected { reasons } => reasons.clone(),
            ProviderError::PermissionMissing {
                permission,
                request_id,
            } => permission
                .map(str::to_owned)
                .into_iter()
                .chain(request_id.iter().map(|id| format!("request-id: {id}")))
                .collect(),
            _ => Vec::new(),
        }
    }
}
