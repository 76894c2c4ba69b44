//! First sign-in: see what the organisation requires and what is registered, then add a phone
//! and an e-mail address, each confirmed with a code sent to it before it counts — in the app
//! where the provider allows it, otherwise on the provider's own page, which Latchkey opens and
//! then watches.

use std::sync::Arc;

use secrecy::SecretString;

use super::{normalise_code, reset::RESEND_AFTER_SECONDS};
use crate::contact::{mask_email, mask_phone, parse_phone, plausible_email, PhoneProblem};
use crate::dto::{Delivery, MethodKind, PendingMethod, RegisteredMethod, RegistrationView};
use crate::providers::seam::{Enrolling, Enrolment, KnownMethod, NewMethod, Provider};
use crate::providers::ProviderError;
use crate::record::LocalRecord;
use crate::support::SupportRef;

/// When the organisation wants the methods confirmed again, and where that is remembered.
#[derive(Debug, Clone)]
pub struct Reconfirm {
    pub every_days: u16,
    pub record: Option<LocalRecord>,
}

/// A calendar day, as the local record counts them.
pub type Day = chrono::NaiveDate;

pub fn today() -> Day {
    chrono::Utc::now().date_naive()
}

/// Whether the login-time prompt has anything to ask, decided from the configuration and the
/// local record alone (no network, so it is instant): registration never confirmed on this
/// computer, or the policy's reconfirmation period passed.
pub fn onboarding_needed(
    config: &crate::config::Config,
    record: Option<&LocalRecord>,
    today: chrono::NaiveDate,
) -> bool {
    if config.policy.enabled_for == crate::policy::SsprScope::None {
        return false;
    }
    match record.and_then(LocalRecord::last_confirmed) {
        None => true,
        Some(_) if config.policy.reconfirm_days == 0 => false,
        Some(_) => record.is_some_and(|r| r.reconfirm_due(config.policy.reconfirm_days, today)),
    }
}

/// The journey's name in the log.
const JOURNEY: &str = "registration";

/// A method added but not confirmed yet, and what the provider needs to confirm it.
struct Pending {
    method: NewMethod,
    enrolling: Enrolling,
}

/// The signed-in user's registration. The access token is passed to each call, never kept.
pub struct Registration {
    provider: Arc<dyn Provider>,
    required: u8,
    reconfirm: Reconfirm,
    pending: Option<Pending>,
    /// For the helpdesk: on error screens, in the log, in provider request ids.
    reference: SupportRef,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").finish_non_exhaustive()
    }
}

impl Registration {
    pub fn new(provider: Arc<dyn Provider>, required: u8, reconfirm: Reconfirm) -> Registration {
        Registration {
            provider,
            required,
            reconfirm,
            pending: None,
            reference: SupportRef::begin(JOURNEY),
        }
    }

    pub fn reference(&self) -> &SupportRef {
        &self.reference
    }

    /// Adding methods in the app, where the provider allows it.
    fn enrolment(&self) -> Result<&dyn Enrolment, ProviderError> {
        self.provider.enrolment().ok_or(ProviderError::NotAllowed)
    }

    /// "Yes, this is still correct": remembered locally until the policy asks again.
    pub async fn reconfirm(
        &mut self,
        token: &SecretString,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "reconfirm");
        self.remember_confirmation();
        self.view(token).await
    }

    fn remember_confirmation(&self) {
        if let Some(record) = &self.reconfirm.record {
            // Losing this only means being asked again; it is not worth failing the journey.
            let _ = record.confirm(today());
        }
    }

    /// What is registered now (from the provider, masked), and what is waiting for its code.
    pub async fn view(&self, token: &SecretString) -> Result<RegistrationView, ProviderError> {
        let known = self.provider.methods(token).await?;
        let methods: Vec<RegisteredMethod> = known.iter().map(masked).collect();
        let has = |k: MethodKind| methods.iter().any(|m| m.kind == k);
        let distinct = u8::from(has(MethodKind::Phone)) + u8::from(has(MethodKind::Email));
        let complete = distinct >= self.required;
        let reconfirm_due = complete
            && self.pending.is_none()
            && self
                .reconfirm
                .record
                .as_ref()
                .is_some_and(|r| r.reconfirm_due(self.reconfirm.every_days, today()));
        Ok(RegistrationView {
            required: self.required,
            complete,
            reconfirm_due,
            methods,
            pending: self.pending.as_ref().map(pending_view),
            handoff: match self.provider.enrolment() {
                Some(_) => None,
                None => self.provider.registration_page(),
            },
        })
    }

    /// Adds the phone (or reuses an unconfirmed one with the same number) and sends a code.
    pub async fn add_phone(
        &mut self,
        token: &SecretString,
        region: &str,
        typed: &str,
        delivery: Delivery,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "add_phone");
        let e164 = parse_phone(region, typed).map_err(|p| match p {
            PhoneProblem::Invalid | PhoneProblem::HasExtension => ProviderError::PhoneRefused,
        })?;
        self.add(token, NewMethod::Phone { e164, delivery }).await
    }

    pub async fn add_email(
        &mut self,
        token: &SecretString,
        typed: &str,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "add_email");
        let address = typed.trim().to_owned();
        if !plausible_email(&address) {
            return Err(ProviderError::EmailRefused);
        }
        self.add(token, NewMethod::Email { address }).await
    }

    async fn add(
        &mut self,
        token: &SecretString,
        method: NewMethod,
    ) -> Result<RegistrationView, ProviderError> {
        let enrolling = self.enrolment()?.add(token, &method).await?;
        self.pending = Some(Pending { method, enrolling });
        self.view(token).await
    }

    /// The code sent to the pending method.
    pub async fn confirm(
        &mut self,
        token: &SecretString,
        typed: &SecretString,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "confirm");
        let code = SecretString::from(normalise_code(secrecy::ExposeSecret::expose_secret(typed)));
        if let Some(p) = &self.pending {
            let confirmed = self
                .enrolment()?
                .confirm(token, &p.method, &p.enrolling, &code)
                .await;
            // A lost answer may hide a confirmed method: the list, not the code step, tells.
            if let Err(e @ ProviderError::OutcomeUnknown { .. }) = confirmed {
                self.pending = None;
                return Err(e);
            }
            confirmed?;
        }
        self.pending = None;
        let view = self.view(token).await?;
        // Methods just confirmed by code need no "is this still correct?" for a while.
        if view.complete {
            self.remember_confirmation();
            return self.view(token).await;
        }
        Ok(view)
    }

    /// A new code for the pending method, by `switch_to` for a phone if given.
    pub async fn resend(
        &mut self,
        token: &SecretString,
        switch_to: Option<Delivery>,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "resend");
        let enrolment = self.provider.enrolment().ok_or(ProviderError::NotAllowed)?;
        if let Some(p) = &mut self.pending {
            if let (NewMethod::Phone { delivery, .. }, Some(d)) = (&mut p.method, switch_to) {
                *delivery = d;
            }
            p.enrolling = enrolment.resend(token, &p.method, &p.enrolling).await?;
        }
        self.view(token).await
    }

    /// Removes a confirmed method, named by the id the view gave; only the user's own, as the
    /// provider lists them now.
    pub async fn remove(
        &mut self,
        token: &SecretString,
        id: &str,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "remove");
        let method = self
            .provider
            .methods(token)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(ProviderError::NotAllowed)?;
        self.provider.remove_method(token, &method).await?;
        self.view(token).await
    }

    /// Gives up on the pending method and removes it at the provider, unconfirmed as it is.
    pub async fn cancel(
        &mut self,
        token: &SecretString,
    ) -> Result<RegistrationView, ProviderError> {
        self.reference.step(JOURNEY, "cancel");
        if let Some(p) = self.pending.take() {
            self.enrolment()?
                .abandon(token, &p.method, &p.enrolling)
                .await?;
        }
        self.view(token).await
    }
}

fn masked(m: &KnownMethod) -> RegisteredMethod {
    RegisteredMethod {
        id: m.id.clone(),
        kind: m.kind,
        masked: match m.kind {
            MethodKind::Phone => mask_phone(&m.value),
            MethodKind::Email => mask_email(&m.value),
        },
    }
}

fn pending_view(p: &Pending) -> PendingMethod {
    match &p.method {
        NewMethod::Phone { e164, delivery } => PendingMethod {
            kind: MethodKind::Phone,
            masked: mask_phone(e164),
            delivery: Some(*delivery),
            resend_after_seconds: RESEND_AFTER_SECONDS,
        },
        NewMethod::Email { address } => PendingMethod {
            kind: MethodKind::Email,
            masked: mask_email(address),
            delivery: None,
            resend_after_seconds: RESEND_AFTER_SECONDS,
        },
    }
}

#[cfg(test)]
mod memory;

#[cfg(test)]
mod tests {
    use super::memory::MemoryDirectory;
    use super::*;
    use std::path::Path;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    fn registration(directory: &Arc<MemoryDirectory>, record: Option<LocalRecord>) -> Registration {
        let reconfirm = Reconfirm {
            every_days: 180,
            record,
        };
        Registration::new(directory.clone(), 2, reconfirm)
    }

    /// The journey over a provider written only for this test: the seam is all it needs.
    #[tokio::test]
    async fn a_phone_and_an_email_confirmed_by_code_complete_the_registration() {
        let directory = Arc::new(MemoryDirectory::new(true));
        let dir = tempfile::tempdir().expect("dir");
        let record = LocalRecord::at(dir.path());
        let mut r = registration(&directory, Some(record.clone()));
        let token = secret("token");
        let view = r.view(&token).await.expect("view");
        assert!(!view.complete && view.methods.is_empty() && view.handoff.is_none());
        assert_eq!(
            r.add_phone(&token, "FR", "06 12", Delivery::Sms)
                .await
                .unwrap_err(),
            ProviderError::PhoneRefused,
            "refused before the provider is asked"
        );
        assert_eq!(directory.calls(), 1, "only the view reached the provider");
        let view = r
            .add_phone(&token, "FR", "06 12 34 56 78", Delivery::Sms)
            .await
            .expect("add");
        let pending = view.pending.expect("pending");
        assert_eq!(pending.masked, "+33 •• •• •• •• 78");
        assert_eq!(pending.delivery, Some(Delivery::Sms));
        assert_eq!(
            r.confirm(&token, &secret("000000")).await.unwrap_err(),
            ProviderError::WrongCode
        );
        let code = directory.last_code();
        let view = r
            .confirm(&token, &secret(&format!(" {} ", &code)))
            .await
            .expect("confirm");
        assert_eq!(view.methods.len(), 1);
        assert!(!view.complete && record.last_confirmed().is_none());
        r.add_email(&token, " nina@example.net ")
            .await
            .expect("add email");
        let view = r.resend(&token, None).await.expect("resend");
        assert_eq!(view.pending.expect("pending").masked, "n•••@example.net");
        let code = directory.last_code();
        let view = r.confirm(&token, &secret(&code)).await.expect("confirm");
        assert!(view.complete && !view.reconfirm_due);
        assert_eq!(record.last_confirmed(), Some(today()), "remembered here");
    }

    #[tokio::test]
    async fn a_phone_can_switch_to_a_call_be_abandoned_and_a_method_removed() {
        let directory = Arc::new(MemoryDirectory::new(true));
        let mut r = registration(&directory, None);
        let token = secret("token");
        r.add_phone(&token, "US", "(425) 555-0123", Delivery::Sms)
            .await
            .expect("add");
        let view = r.resend(&token, Some(Delivery::Call)).await.expect("call");
        assert_eq!(
            view.pending.expect("pending").delivery,
            Some(Delivery::Call)
        );
        assert_eq!(directory.last_delivery(), Some(Delivery::Call));
        let view = r.cancel(&token).await.expect("cancel");
        assert!(view.pending.is_none() && view.methods.is_empty());
        assert_eq!(directory.unconfirmed(), 0, "removed at the provider");
        r.add_phone(&token, "US", "(425) 555-0123", Delivery::Sms)
            .await
            .expect("add");
        let code = directory.last_code();
        let view = r.confirm(&token, &secret(&code)).await.expect("confirm");
        let id = view.methods[0].id.clone();
        assert_eq!(
            r.remove(&token, "someone-else").await.unwrap_err(),
            ProviderError::NotAllowed
        );
        let view = r.remove(&token, &id).await.expect("remove");
        assert!(view.methods.is_empty());
    }

    #[tokio::test]
    async fn a_provider_without_enrolment_hands_off_and_refuses_adds() {
        let directory = Arc::new(MemoryDirectory::new(false));
        let mut r = registration(&directory, None);
        let token = secret("token");
        let view = r.view(&token).await.expect("view");
        assert_eq!(view.handoff.as_deref(), Some(memory::REGISTRATION_PAGE));
        assert_eq!(
            r.add_email(&token, "nina@example.net").await.unwrap_err(),
            ProviderError::NotAllowed
        );
        assert_eq!(
            directory.capabilities().add_methods,
            crate::dto::Where::Handoff
        );
    }

    #[tokio::test]
    async fn a_refused_token_reaches_the_caller_as_sign_in_required() {
        let directory = Arc::new(MemoryDirectory::new(true));
        let r = registration(&directory, None);
        assert_eq!(
            r.view(&secret("expired")).await.unwrap_err(),
            ProviderError::SignInRequired
        );
    }

    fn config(policy: &str) -> crate::config::Config {
        let raw = format!("[organisation]\nname = \"C\"\n[provider]\nkind = \"sandbox\"\n[policy]\nmethods_allowed = [\"email\", \"mobile_phone\"]\nmethods_required = 1\nregistration_required = true\nnotify_on_reset = true\n{policy}\n");
        crate::config::Config::parse(&raw, Path::new("t.toml")).expect("valid")
    }

    #[test]
    fn the_login_prompt_asks_only_when_something_is_due() {
        let dir = tempfile::tempdir().expect("dir");
        let record = LocalRecord::at(dir.path());
        let day = |s: &str| Day::parse_from_str(s, "%Y-%m-%d").expect("date");
        let every_180 = config("enabled_for = \"all\"\nreconfirm_days = 180");
        assert!(
            onboarding_needed(&every_180, Some(&record), day("2026-11-25")),
            "never confirmed here"
        );
        assert!(
            onboarding_needed(&every_180, None, day("2026-11-25")),
            "no record at all"
        );
        record.confirm(day("2026-10-01")).expect("write");
        assert!(!onboarding_needed(
            &every_180,
            Some(&record),
            day("2026-11-25")
        ));
        assert!(onboarding_needed(
            &every_180,
            Some(&record),
            day("2027-04-01")
        ));
        let never = config("enabled_for = \"all\"\nreconfirm_days = 0");
        assert!(!onboarding_needed(&never, Some(&record), day("2030-01-01")));
        let off = config("enabled_for = \"none\"\nreconfirm_days = 180");
        assert!(!onboarding_needed(&off, None, day("2026-11-25")));
    }
}
