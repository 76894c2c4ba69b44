//! What can go wrong when Latchkey asks a provider to register a method or reset a password,
//! in terms of what the user can do about it.

use thiserror::Error;

use crate::auth::http::HttpError;
use crate::codes::ErrorCode;
use crate::providers::reason::{password_reasons, ProviderReason};

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
    /// The provider's own reasons, as untrusted plain text; [`ProviderError::reasons`] words them.
    #[error("the provider refused the new password")]
    PasswordRejected { reasons: Vec<String> },
    /// The reset or registration transaction expired or was ended.
    #[error("the reset session has expired")]
    SessionExpired,
    #[error("the phone number was refused")]
    PhoneRefused,
    #[error("the e-mail address was refused")]
    EmailRefused,
    /// Okta's 409 `E0000157`: the phone or e-mail is already on the account.
    #[error("the phone or e-mail is already registered")]
    AlreadyRegistered,
    /// Okta's `Exceeded cardinality max`: no room for another phone until one is removed.
    #[error("the account has the most methods of this kind allowed")]
    MethodLimitReached,
    /// The phone or e-mail named is no longer on the account (removed elsewhere).
    #[error("the method is no longer registered")]
    MethodGone,
    /// The provider could not send the one-time code (Okta's 500 `E0000138`).
    #[error("the provider could not send the code")]
    CodeNotSent,
    #[error("the organisation does not allow this")]
    NotAllowed,
    /// The provider wants a fresh sign-in with MFA first (Graph: managing one's own methods
    /// needs MFA within the last 10 minutes; a claims challenge).
    #[error("the provider asks the user to confirm their identity with MFA")]
    ConfirmIdentity,
    /// The method cannot go while something depends on it: it is the default MFA method, or
    /// a mobile number an alternate mobile number needs.
    #[error("the method is in use and cannot be removed")]
    MethodInUse,
    /// The password change was refused without a reason Latchkey can recognise.
    #[error("the provider refused the password change without a known reason")]
    PasswordChangeFailed,
    /// A documented refusal of this request that no retry, input or sign-in changes.
    #[error("the provider refused the request (HTTP {status})")]
    Refused { status: u16 },
    /// 401 on a signed-in call: the user must sign in again.
    #[error("the sign-in is no longer valid")]
    SignInRequired,
    /// An account change needs an interactive sign-in of the last few minutes (T47).
    #[error("an account change needs a recent sign-in")]
    FreshSignInRequired,
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
    /// A change went out and its answer was lost (a timeout or a connection closed after the
    /// request was written): it may have happened. Never sent again by itself (T21); the user
    /// is told how to find out.
    #[error("the provider's answer was lost: {what:?} may have happened")]
    OutcomeUnknown { what: Unconfirmed },
}

/// What may have happened when a change's answer was lost, which decides how the user finds out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unconfirmed {
    /// A password reset or change: signing in with the new password tells.
    PasswordChanged,
    /// A method added, confirmed or removed: the list of methods, read again, tells.
    MethodChanged,
    /// A code sent (a reset started, a code resent, a method's code asked for): it may arrive.
    CodeSent,
    /// A reset's code or answer checked: the reset cannot tell where it stands, so it starts over.
    StepTaken,
}

impl Unconfirmed {
    /// The error a lost answer is, unless the request certainly never left: then it is the
    /// network error it was, and sending it again is safe.
    pub fn unless_unsent(self, e: HttpError) -> ProviderError {
        if e.nothing_sent() {
            ProviderError::Http(e)
        } else {
            ProviderError::OutcomeUnknown { what: self }
        }
    }
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
            ProviderError::AlreadyRegistered => ErrorCode::MethodAlreadyRegistered,
            ProviderError::MethodLimitReached => ErrorCode::MethodLimitReached,
            ProviderError::MethodGone => ErrorCode::MethodGone,
            ProviderError::CodeNotSent => ErrorCode::CodeNotSent,
            ProviderError::NotAllowed => ErrorCode::NotAllowed,
            ProviderError::ConfirmIdentity => ErrorCode::ConfirmIdentity,
            ProviderError::MethodInUse => ErrorCode::MethodInUse,
            ProviderError::PasswordChangeFailed => ErrorCode::PasswordChangeFailed,
            ProviderError::Refused { .. } => ErrorCode::ProviderRefused,
            ProviderError::SignInRequired => ErrorCode::SignInRequired,
            ProviderError::FreshSignInRequired => ErrorCode::FreshSignInRequired,
            ProviderError::PermissionMissing { .. } => ErrorCode::PermissionMissing,
            ProviderError::Unexpected { .. } => ErrorCode::ProviderError,
            ProviderError::Http(HttpError::Timeout) => ErrorCode::Timeout,
            ProviderError::Http(HttpError::Tls) => ErrorCode::TlsFailure,
            ProviderError::Http(HttpError::Unreachable) => ErrorCode::ProviderUnreachable,
            ProviderError::Http(HttpError::TooLarge | HttpError::Other) => ErrorCode::ProviderError,
            ProviderError::OutcomeUnknown { what } => match what {
                Unconfirmed::PasswordChanged => ErrorCode::PasswordOutcomeUnknown,
                Unconfirmed::MethodChanged => ErrorCode::MethodOutcomeUnknown,
                Unconfirmed::CodeSent => ErrorCode::CodeOutcomeUnknown,
                Unconfirmed::StepTaken => ErrorCode::StepOutcomeUnknown,
            },
        }
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ProviderError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// Plain-text details shown as they are (a permission's name, a request id). A refused
    /// password's causes are not here: they are [`ProviderError::reasons`], in the user's words.
    pub fn details(&self) -> Vec<String> {
        match self {
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

    /// A refused password's causes, each recognised as a reason the UI words itself, with the
    /// provider's text kept as its detail.
    pub fn reasons(&self) -> Vec<ProviderReason> {
        match self {
            ProviderError::PasswordRejected { reasons } => password_reasons(reasons),
            _ => Vec::new(),
        }
    }
}
