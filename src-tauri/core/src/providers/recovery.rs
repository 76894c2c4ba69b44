//! Resetting a forgotten password, in words no vendor owns: the steps a recovery goes through
//! and the operations a provider that resets in the app offers ([`Recovery`]).

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use super::ProviderError;

/// The transaction's bearer secret: wrapped, never printed.
#[derive(Clone)]
pub struct StateToken(SecretString);

impl StateToken {
    pub fn new(secret: SecretString) -> StateToken {
        StateToken(secret)
    }

    /// For the one request body that must carry it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for StateToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateToken(<redacted>)")
    }
}

/// How the recovery code reaches the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryFactor {
    Sms,
    Call,
    Email,
}

/// The password rules the provider sends with the new-password step, for live hints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordRules {
    pub min_length: u32,
    pub min_lower: u32,
    pub min_upper: u32,
    pub min_number: u32,
    pub min_symbol: u32,
    pub exclude_username: bool,
    pub history: u32,
}

/// Where a recovery stands after each call.
#[derive(Debug, Clone)]
pub enum RecoveryStep {
    /// A code went (or, for all the user can tell, went) to the phone.
    CodeSent {
        state: StateToken,
        factor: RecoveryFactor,
    },
    /// An e-mail with a recovery code went out; the transaction continues from that code.
    EmailSent,
    /// The organisation wants the recovery question answered too.
    Question {
        state: StateToken,
        question: String,
    },
    NewPassword {
        state: StateToken,
        rules: PasswordRules,
    },
    Done,
}

/// A provider that resets a forgotten password in the app, for a user who is not signed in.
#[async_trait]
pub trait Recovery: Send + Sync {
    /// Starts a recovery for `username`; the answer never tells whether the user exists.
    async fn recovery_start(
        &self,
        username: &str,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError>;

    /// The code sent by SMS or call.
    async fn recovery_verify(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
        code: &SecretString,
    ) -> Result<RecoveryStep, ProviderError>;

    /// A new code to the phone, by `factor`.
    async fn recovery_resend(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError>;

    /// The code from the recovery e-mail, which carries the transaction itself.
    async fn recovery_redeem(
        &self,
        recovery_token: &SecretString,
    ) -> Result<RecoveryStep, ProviderError>;

    async fn recovery_answer(
        &self,
        state: &StateToken,
        answer: &SecretString,
    ) -> Result<RecoveryStep, ProviderError>;

    /// Sets the new password exactly as typed.
    async fn reset_password(
        &self,
        state: &StateToken,
        new_password: &SecretString,
    ) -> Result<RecoveryStep, ProviderError>;

    /// Ends the transaction at the provider; an already-ended one is fine.
    async fn recovery_cancel(&self, state: &StateToken);
}
