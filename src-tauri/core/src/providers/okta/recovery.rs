//! Okta Authentication API, password recovery: factor, code (or e-mailed recovery token),
//! recovery question when the org asks for it, then the new password with the state token.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::{text, Okta};
use crate::providers::error::Unconfirmed;
use crate::providers::exchange::Ask;
use crate::providers::recovery::{
    PasswordRules, Recovery, RecoveryFactor, RecoveryStep, StateToken,
};
use crate::providers::ProviderError;

/// Okta's names for the recovery factors, in the body and in the path.
fn okta_name(factor: RecoveryFactor) -> &'static str {
    match factor {
        RecoveryFactor::Sms => "SMS",
        RecoveryFactor::Call => "CALL",
        RecoveryFactor::Email => "EMAIL",
    }
}

fn path(factor: RecoveryFactor) -> &'static str {
    match factor {
        RecoveryFactor::Sms => "sms",
        RecoveryFactor::Call => "call",
        RecoveryFactor::Email => "email",
    }
}

#[async_trait]
impl Recovery for Okta {
    async fn recovery_start(
        &self,
        username: &str,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "username": username, "factorType": okta_name(factor) });
        let answer = self
            .call(
                Ask::Post(Unconfirmed::CodeSent),
                "/api/v1/authn/recovery/password",
                None,
                Some(&body),
            )
            .await?;
        step(&answer)
    }

    async fn recovery_verify(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
        code: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "stateToken": state.expose(), "passCode": code.expose_secret() });
        let path = format!("/api/v1/authn/recovery/factors/{}/verify", path(factor));
        let ask = Ask::Post(Unconfirmed::StepTaken);
        step(&self.call(ask, &path, None, Some(&body)).await?)
    }

    async fn recovery_resend(
        &self,
        state: &StateToken,
        factor: RecoveryFactor,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "stateToken": state.expose() });
        let path = format!("/api/v1/authn/recovery/factors/{}/resend", path(factor));
        let ask = Ask::Post(Unconfirmed::CodeSent);
        step(&self.call(ask, &path, None, Some(&body)).await?)
    }

    /// The code from the recovery e-mail.
    async fn recovery_redeem(
        &self,
        recovery_token: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "recoveryToken": recovery_token.expose_secret() });
        step(
            &self
                .call(
                    Ask::Post(Unconfirmed::StepTaken),
                    "/api/v1/authn/recovery/token",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    async fn recovery_answer(
        &self,
        state: &StateToken,
        answer: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body = json!({ "stateToken": state.expose(), "answer": answer.expose_secret() });
        step(
            &self
                .call(
                    Ask::Post(Unconfirmed::StepTaken),
                    "/api/v1/authn/recovery/answer",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    /// Sets the new password exactly as typed.
    async fn reset_password(
        &self,
        state: &StateToken,
        new_password: &SecretString,
    ) -> Result<RecoveryStep, ProviderError> {
        let body =
            json!({ "stateToken": state.expose(), "newPassword": new_password.expose_secret() });
        step(
            &self
                .call(
                    Ask::Post(Unconfirmed::PasswordChanged),
                    "/api/v1/authn/credentials/reset_password",
                    None,
                    Some(&body),
                )
                .await?,
        )
    }

    /// Ends the transaction at Okta; an already-ended one is fine.
    async fn recovery_cancel(&self, state: &StateToken) {
        let body = json!({ "stateToken": state.expose() });
        let _ = self
            .call(
                Ask::Post(Unconfirmed::StepTaken),
                "/api/v1/authn/cancel",
                None,
                Some(&body),
            )
            .await;
    }
}

/// One answer of the Authentication API's recovery. Public for fuzzing (`fuzz/`) and tests.
pub fn step(answer: &Value) -> Result<RecoveryStep, ProviderError> {
    let unexpected = ProviderError::Unexpected { status: 200 };
    let state = || text(answer, "stateToken").map(|t| StateToken::new(SecretString::from(t)));
    match answer["status"].as_str() {
        // authn-recovery.json: `factorType` is `SMS`, `EMAIL`, and `call` in lower case.
        Some("RECOVERY_CHALLENGE") => match answer["factorType"]
            .as_str()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_challenge_is_read_in_either_case() {
        // authn-recovery.json, recovery/password 200 `SMS|CALL`: "factorType": "SMS|call".
        for name in ["call", "CALL"] {
            let answer = json!({
                "status": "RECOVERY_CHALLENGE",
                "stateToken": "00state",
                "factorType": name,
                "recoveryType": "PASSWORD",
            });
            assert!(
                matches!(
                    step(&answer),
                    Ok(RecoveryStep::CodeSent {
                        factor: RecoveryFactor::Call,
                        ..
                    })
                ),
                "{name}"
            );
        }
        // EMAIL: no state token, no links.
        let email = json!({"status": "RECOVERY_CHALLENGE", "factorResult": "WAITING", "factorType": "EMAIL", "recoveryType": "PASSWORD"});
        assert!(matches!(step(&email), Ok(RecoveryStep::EmailSent)));
    }
}
