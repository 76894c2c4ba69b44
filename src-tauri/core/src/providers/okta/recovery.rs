//! Okta Authentication API, password recovery: factor, code (or e-mailed recovery token),
//! recovery question when the org asks for it, then the new password with the state token.

use openidconnect::http::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::{text, Okta};
use crate::providers::ProviderError;

/// The transaction's bearer secret: wrapped, never printed.
#[derive(Clone)]
pub struct StateToken(SecretString);

impl std::fmt::Debug for StateToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateToken(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryFactor {
    Sms,
    Call,
    Email,
}

impl RecoveryFactor {
    fn okta_name(self) -> &'static str {
        match self {
            RecoveryFactor::Sms => "SMS",
            RecoveryFactor::Call => "CALL",
            RecoveryFactor::Email => "EMAIL",
        }
    }

    fn path(self) -> &'static str {
        match self {
            RecoveryFactor::Sms => "sms",
            RecoveryFactor::Call => "call",
            RecoveryFactor::Email => "email",
        }
    }
}

/// The password rules Okta sends with `PASSWORD_RESET`, for live hints.
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
    /// The org wants the recovery question answered too.
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

impl Okta {
    pub async fn recovery_start(
        &self,
        username: &str,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "username": username, "factorType": factor.okta_name() });
        let answer = self
            .call(
                Method::POST,
                "/api/v1/authn/recovery/password",
                None,
                Some(&body),
            )
            .await?;
        step(&answer)
    }

    pub async fn recovery_verify(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
        code: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body =
            json!({ "stateToken": state.0.expose_secret(), "passCode": code.expose_secret() });
        let path = format!("/api/v1/authn/recovery/factors/{}/verify", factor.path());
        step(&self.call(Method::POST, &path, None, Some(&body)).await?)
    }

    pub async fn recovery_resend(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "stateToken": state.0.expose_secret() });
        let path = format!("/api/v1/authn/recovery/factors/{}/resend", factor.path());
        step(&self.call(Method::POST, &path, None, Some(&body)).await?)
    }

    /// The code from the recovery e-mail.
    pub async fn recovery_redeem(
        &self,
        recovery_token: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "recoveryToken": recovery_token.expose_secret() });
        step(
            &self
                .call(
                    Method::POST,
                    "/api/v1/authn/recovery/token",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    pub async fn recovery_answer(
        &self,
        state: &StateToken,
        answer: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body =
            json!({ "stateToken": state.0.expose_secret(), "answer": answer.expose_secret() });
        step(
            &self
                .call(
                    Method::POST,
                    "/api/v1/authn/recovery/answer",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    /// Sets the new password exactly as typed.
    pub async fn reset_password(
        &self,
        state: &StateToken,
        new_password: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "stateToken": state.0.expose_secret(), "newPassword": new_password.expose_secret() });
        step(
            &self
                .call(
                    Method::POST,
                    "/api/v1/authn/credentials/reset_password",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    /// Ends the transaction at Okta; an already-ended one is fine.
    pub async fn recovery_cancel(&self, state: &StateToken) {
        let body = json!({ "stateToken": state.0.expose_secret() });
        let _ = self
            .call(Method::POST, "/api/v1/authn/cancel", None, Some(&body))
            .await;
    }
}

fn step(answer: &Value) -> Result<RecoveryStep, ProviderError> {
    let unexpected = ProviderError::Unexpected { status: 200 };
    let state = || text(answer, "stateToken").map(|t| StateToken(SecretString::from(t)));
    match answer["status"].as_str() {
        Some("RECOVERY_CHALLENGE") => match answer["factorType"].as_str() {
            Some("EMAIL") => Ok(RecoveryStep::EmailSent),
            Some("SMS") => Ok(RecoveryStep::CodeSent {
                state: state()?,
                factor: RecoveryFactor::Sms,
            }),
            Some("CALL") => Ok(RecoveryStep::CodeSent {
                state: state()?,
                factor: RecoveryFactor::Call,
            }),
            _ => Err(unexpected),
        },
        Some("RECOVERY") => {
            let question = answer["_embedded"]["user"]["recovery_question"]["question"]
                .as_str()
                .ok_or(unexpected)?;
            Ok(RecoveryStep::Question {
                state: state()?,
                question: crate::auth::untrusted_text(question),
            })
        }
        Some("PASSWORD_RESET") => {
            let c = &answer["_embedded"]["policy"]["complexity"];
            let n = |v: &Value| u32::try_from(v.as_u64().unwrap_or(0)).unwrap_or(0);
            Ok(RecoveryStep::NewPassword {
                state: state()?,
                rules: PasswordRules {
                    min_length: n(&c["minLength"]),
                    min_lower: n(&c["minLowerCase"]),
                    min_upper: n(&c["minUpperCase"]),
                    min_number: n(&c["minNumber"]),
                    min_symbol: n(&c["minSymbol"]),
                    exclude_username: c["excludeUsername"].as_bool().unwrap_or(false),
                    history: n(&answer["_embedded"]["policy"]["age"]["historyCount"]),
                },
            })
        }
        Some("SUCCESS") => Ok(RecoveryStep::Done),
        _ => Err(unexpected),
    }
}
