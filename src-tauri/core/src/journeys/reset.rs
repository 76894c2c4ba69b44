//! Forgot password: prove who you are with a code (and the recovery question when the
//! organisation asks for a second proof), then choose a new password. The user is not signed in.

use std::sync::Arc;

use secrecy::SecretString;

use super::normalise_code;
use crate::dto::{PasswordHints, ResetFactor, ResetView};
use crate::providers::error::Unconfirmed;
use crate::providers::recovery::{PasswordRules, Recovery, RecoveryFactor, RecoveryStep};
use crate::providers::{Provider, ProviderError};
use crate::support::SupportRef;

/// The journey's name in the log.
const JOURNEY: &str = "reset";

/// Okta sends at most one code every 30 seconds; the UI counts down from this.
pub const RESEND_AFTER_SECONDS: u32 = 30;

/// One reset in progress, with a provider that resets in the app. Its state token lives
/// here, in memory only.
pub struct ResetFlow {
    provider: Arc<dyn Provider>,
    username: String,
    step: RecoveryStep,
    /// For the helpdesk: on error screens, in the log, in provider request ids.
    reference: SupportRef,
    /// The new password went out and its answer was lost: it may be set, so it is never sent
    /// again in this flow (SECURITY.md rule 9); only a new reset goes on.
    password_unconfirmed: bool,
}

impl std::fmt::Debug for ResetFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetFlow").finish_non_exhaustive()
    }
}

impl ResetFlow {
    /// `NotAllowed` when the provider resets only on its own portal.
    pub async fn start(
        provider: Arc<dyn Provider>,
        username: &str,
        factor: ResetFactor,
    ) -> Result<(ResetFlow, ResetView), ProviderError> {
        let reference = SupportRef::begin(JOURNEY);
        let username = username.trim().to_owned();
        let recovery = provider.recovery().ok_or(ProviderError::NotAllowed)?;
        let step = recovery.recovery_start(&username, factor.into()).await?;
        let flow = ResetFlow {
            provider,
            username,
            step,
            reference,
            password_unconfirmed: false,
        };
        let view = flow.view();
        Ok((flow, view))
    }

    pub fn reference(&self) -> &SupportRef {
        &self.reference
    }

    /// The provider's recovery; a flow only starts where there is one.
    fn recovery(&self) -> Result<&dyn Recovery, ProviderError> {
        self.provider.recovery().ok_or(ProviderError::NotAllowed)
    }

    /// What the UI shows for the current step.
    pub fn view(&self) -> ResetView {
        match &self.step {
            RecoveryStep::CodeSent { factor, .. } => ResetView::Code {
                factor: (*factor).into(),
                resend_after_seconds: RESEND_AFTER_SECONDS,
            },
            RecoveryStep::EmailSent => ResetView::Code {
                factor: ResetFactor::Email,
                resend_after_seconds: RESEND_AFTER_SECONDS,
            },
            RecoveryStep::Question { question, .. } => ResetView::Question {
                question: question.clone(),
            },
            RecoveryStep::NewPassword { rules, .. } => ResetView::NewPassword {
                hints: hints(rules, &self.username),
            },
            RecoveryStep::Done => ResetView::Done,
        }
    }

    /// The code from the SMS, the call or the e-mail.
    pub async fn submit_code(&mut self, typed: &SecretString) -> Result<ResetView, ProviderError> {
        self.reference.step(JOURNEY, "code");
        let code = SecretString::from(normalise_code(secrecy::ExposeSecret::expose_secret(typed)));
        let next = match &self.step {
            RecoveryStep::CodeSent { state, factor } => {
                self.recovery()?
                    .recovery_verify(state, *factor, &code)
                    .await?
            }
            RecoveryStep::EmailSent => self.recovery()?.recovery_redeem(&code).await?,
            _ => return Ok(self.view()),
        };
        self.step = next;
        Ok(self.view())
    }

    /// A new code by the same way, or by `switch_to` (a call instead of an SMS, say).
    pub async fn resend(
        &mut self,
        switch_to: Option<ResetFactor>,
    ) -> Result<ResetView, ProviderError> {
        self.reference.step(JOURNEY, "resend");
        let next = match &self.step {
            RecoveryStep::CodeSent { state, factor } => {
                let factor = match switch_to {
                    Some(ResetFactor::Sms) => RecoveryFactor::Sms,
                    Some(ResetFactor::Call) => RecoveryFactor::Call,
                    _ => *factor,
                };
                self.recovery()?.recovery_resend(state, factor).await?
            }
            RecoveryStep::EmailSent => {
                self.recovery()?
                    .recovery_start(&self.username, RecoveryFactor::Email)
                    .await?
            }
            _ => return Ok(self.view()),
        };
        self.step = next;
        Ok(self.view())
    }

    pub async fn answer(&mut self, answer: &SecretString) -> Result<ResetView, ProviderError> {
        self.reference.step(JOURNEY, "answer");
        if let RecoveryStep::Question { state, .. } = &self.step {
            self.step = self.recovery()?.recovery_answer(state, answer).await?;
        }
        Ok(self.view())
    }

    /// Sends the new password exactly as typed: no trimming, no normalisation.
    pub async fn choose_password(
        &mut self,
        password: &SecretString,
    ) -> Result<ResetView, ProviderError> {
        self.reference.step(JOURNEY, "password");
        let unconfirmed = ProviderError::OutcomeUnknown {
            what: Unconfirmed::PasswordChanged,
        };

        if self.password_unconfirmed {
            return Err(unconfirmed);
        }
        if let RecoveryStep::NewPassword { state, .. } = &self.step {
            let result = self.recovery()?.reset_password(state, password).await;
            self.password_unconfirmed = result.as_ref().is_err_and(|e| *e == unconfirmed);
            self.step = result?;
        }
        Ok(self.view())
    }

    /// Ends the transaction at the provider too, so its state token is worthless.
    pub async fn cancel(self) {
        self.reference.step(JOURNEY, "cancel");
        match &self.step {
            RecoveryStep::CodeSent { state, .. }
            | RecoveryStep::Question { state, .. }
            | RecoveryStep::NewPassword { state, .. } => {
                if let Ok(recovery) = self.recovery() {
                    recovery.recovery_cancel(state).await;
                }
            }
            RecoveryStep::EmailSent | RecoveryStep::Done => {}
        }
    }
}

fn hints(rules: &PasswordRules, username: &str) -> PasswordHints {
    PasswordHints {
        min_length: rules.min_length,
        needs_lower: rules.min_lower > 0,
        needs_upper: rules.min_upper > 0,
        needs_number: rules.min_number > 0,
        needs_symbol: rules.min_symbol > 0,
        username_parts: if rules.exclude_username {
            username_parts(username)
        } else {
            Vec::new()
        },
        history: rules.history,
        max_length: 0,
        min_classes: 0,
        ascii_only: false,
    }
}

/// The parts of the username a password may not contain, as Okta counts them.
fn username_parts(username: &str) -> Vec<String> {
    let local = username.split('@').next().unwrap_or(username);
    local
        .split(['.', '_', '-', '+'])
        .filter(|p| p.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

impl From<ResetFactor> for RecoveryFactor {
    fn from(f: ResetFactor) -> Self {
        match f {
            ResetFactor::Sms => RecoveryFactor::Sms,
            ResetFactor::Call => RecoveryFactor::Call,
            ResetFactor::Email => RecoveryFactor::Email,
        }
    }
}

impl From<RecoveryFactor> for ResetFactor {
    fn from(f: RecoveryFactor) -> Self {
        match f {
            RecoveryFactor::Sms => ResetFactor::Sms,
            RecoveryFactor::Call => ResetFactor::Call,
            RecoveryFactor::Email => ResetFactor::Email,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::username_parts;

    #[test]
    fn username_parts_are_what_a_password_may_not_contain() {
        assert_eq!(
            username_parts("rafael.registered@contoso.example"),
            vec!["rafael", "registered"]
        );
        assert_eq!(username_parts("jo.li@x.org"), Vec::<String>::new());
    }
}
