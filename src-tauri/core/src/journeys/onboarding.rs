//! First sign-in: see what the organisation requires and what is registered, then add a phone
//! and an e-mail address, each confirmed with a code sent to it before it counts (Okta), or on
//! Microsoft's security info page, which Latchkey opens and then watches through Graph (Entra).

use secrecy::SecretString;

use super::{normalise_code, reset::RESEND_AFTER_SECONDS};
use crate::contact::{mask_email, mask_phone, parse_phone, plausible_email, PhoneProblem};
use crate::dto::{
    Delivery as DeliveryDto, MethodKind, PendingMethod, RegisteredMethod, RegistrationView,
};
use crate::providers::graph::{AuthMethod, Graph};
use crate::providers::okta::{Delivery, Okta};
use crate::providers::ProviderError;
use crate::record::LocalRecord;

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

/// A method added but not confirmed yet.
enum Pending {
    Phone {
        id: String,
        e164: String,
        delivery: Delivery,
    },
    Email {
        id: String,
        address: String,
        challenge: String,
    },
}

/// Where the user's methods are kept, and so how they are added.
pub enum Directory {
    /// Okta MyAccount: phones and e-mails are added here and confirmed by code.
    Okta(Okta),
    /// Entra: Graph reads the methods but refuses self-service adds (403), so adding is a
    /// hand-off to Microsoft's security info page.
    Entra { graph: Graph, security_info: String },
}

/// The signed-in user's registration, against their own access token (memory only).
pub struct Registration {
    directory: Directory,
    token: SecretString,
    required: u8,
    reconfirm: Reconfirm,
    pending: Option<Pending>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").finish_non_exhaustive()
    }
}

impl Registration {
    pub fn new(
        directory: Directory,
        token: SecretString,
        required: u8,
        reconfirm: Reconfirm,
    ) -> Registration {
        Registration {
            directory,
            token,
            required,
            reconfirm,
            pending: None,
        }
    }

    /// The token after a silent refresh.
    pub fn set_token(&mut self, token: SecretString) {
        self.token = token;
    }

    /// Adding methods here is Okta's; Entra's happen on Microsoft's page.
    fn okta(&self) -> Result<&Okta, ProviderError> {
        match &self.directory {
            Directory::Okta(okta) => Ok(okta),
            Directory::Entra { .. } => Err(ProviderError::NotAllowed),
        }
    }

    /// The confirmed recovery methods, masked.
    async fn registered(&self) -> Result<Vec<RegisteredMethod>, ProviderError> {
        let okta = match &self.directory {
            Directory::Okta(okta) => okta,
            Directory::Entra { graph, .. } => {
                let methods = graph.methods(&self.token).await?;
                return Ok(methods
                    .iter()
                    .filter_map(|m| match m {
                        // Graph writes `+1 4255550123`; masking wants E.164.
                        AuthMethod::Phone { id, number, .. } => Some(RegisteredMethod {
                            id: id.clone(),
                            kind: MethodKind::Phone,
                            masked: mask_phone(&number.replace(' ', "")),
                        }),
                        AuthMethod::Email { id, address } => Some(RegisteredMethod {
                            id: id.clone(),
                            kind: MethodKind::Email,
                            masked: mask_email(address),
                        }),
                        AuthMethod::Password | AuthMethod::Other { .. } => None,
                    })
                    .collect());
            }
        };
        let phones = okta.phones(&self.token).await?;
        let emails = okta.emails(&self.token).await?;
        let mut methods: Vec<RegisteredMethod> = phones
            .iter()
            .filter(|p| p.verified)
            .map(|p| RegisteredMethod {
                id: p.id.clone(),
                kind: MethodKind::Phone,
                masked: mask_phone(&p.number),
            })
            .collect();
        // The primary (work) address cannot recover the account that owns it.
        methods.extend(emails.iter().filter(|e| e.verified && !e.primary).map(|e| {
            RegisteredMethod {
                id: e.id.clone(),
                kind: MethodKind::Email,
                masked: mask_email(&e.address),
            }
        }));
        Ok(methods)
    }

    /// "Yes, this is still correct": remembered locally until the policy asks again.
    pub async fn reconfirm(&mut self) -> Result<RegistrationView, ProviderError> {
        self.remember_confirmation();
        self.view().await
    }

    fn remember_confirmation(&self) {
        if let Some(record) = &self.reconfirm.record {
            // Losing this only means being asked again; it is not worth failing the journey.
            let _ = record.confirm(today());
        }
    }

    /// What is registered now (from the provider), and what is waiting for its code.
    pub async fn view(&self) -> Result<RegistrationView, ProviderError> {
        let methods = self.registered().await?;
        let has = |k: MethodKind| methods.iter().any(|m| m.kind == k);
        let distinct = u8::from(has(MethodKind::Phone)) + u8::from(has(MethodKind::Email));
        let pending = self.pending.as_ref().map(|p| match p {
            Pending::Phone { e164, delivery, .. } => PendingMethod {
                kind: MethodKind::Phone,
                masked: mask_phone(e164),
                delivery: Some(match delivery {
                    Delivery::Sms => DeliveryDto::Sms,
                    Delivery::Call => DeliveryDto::Call,
                }),
                resend_after_seconds: RESEND_AFTER_SECONDS,
            },
            Pending::Email { address, .. } => PendingMethod {
                kind: MethodKind::Email,
                masked: mask_email(address),
                delivery: None,
                resend_after_seconds: RESEND_AFTER_SECONDS,
            },
        });
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
            pending,
            handoff: match &self.directory {
                Directory::Okta(_) => None,
                Directory::Entra { security_info, .. } => Some(security_info.clone()),
            },
        })
    }

    /// Adds the phone (or reuses an unconfirmed one with the same number) and sends a code.
    pub async fn add_phone(
        &mut self,
        region: &str,
        typed: &str,
        delivery: DeliveryDto,
    ) -> Result<RegistrationView, ProviderError> {
        let e164 = parse_phone(region, typed).map_err(|p| match p {
            PhoneProblem::Invalid | PhoneProblem::HasExtension => ProviderError::PhoneRefused,
        })?;
        let delivery = match delivery {
            DeliveryDto::Sms => Delivery::Sms,
            DeliveryDto::Call => Delivery::Call,
        };
        let okta = self.okta()?;
        let existing = okta.phones(&self.token).await?;
        let id = match existing.iter().find(|p| p.number == e164) {
            Some(p) if !p.verified => {
                okta.send_phone_code(&self.token, &p.id, delivery).await?;
                p.id.clone()
            }
            Some(_) => return Err(ProviderError::PhoneRefused),
            None => okta.add_phone(&self.token, &e164, delivery).await?.id,
        };
        self.pending = Some(Pending::Phone { id, e164, delivery });
        self.view().await
    }

    pub async fn add_email(&mut self, typed: &str) -> Result<RegistrationView, ProviderError> {
        let address = typed.trim().to_owned();
        if !plausible_email(&address) {
            return Err(ProviderError::EmailRefused);
        }
        let okta = self.okta()?;
        let existing = okta.emails(&self.token).await?;
        let id = match existing
            .iter()
            .find(|e| e.address.eq_ignore_ascii_case(&address))
        {
            Some(e) if !e.verified && !e.primary => e.id.clone(),
            Some(_) => return Err(ProviderError::EmailRefused),
            None => okta.add_email(&self.token, &address).await?.id,
        };
        let challenge = okta.send_email_code(&self.token, &id).await?;
        self.pending = Some(Pending::Email {
            id,
            address,
            challenge,
        });
        self.view().await
    }

    /// The code sent to the pending method.
    pub async fn confirm(
        &mut self,
        typed: &SecretString,
    ) -> Result<RegistrationView, ProviderError> {
        let code = SecretString::from(normalise_code(secrecy::ExposeSecret::expose_secret(typed)));
        match &self.pending {
            Some(Pending::Phone { id, .. }) => {
                self.okta()?.verify_phone(&self.token, id, &code).await?
            }
            Some(Pending::Email { id, challenge, .. }) => {
                self.okta()?
                    .verify_email(&self.token, id, challenge, &code)
                    .await?
            }
            None => {}
        }
        self.pending = None;
        let view = self.view().await?;
        // Methods just confirmed by code need no "is this still correct?" for a while.
        if view.complete {
            self.remember_confirmation();
            return self.view().await;
        }
        Ok(view)
    }

    /// A new code for the pending method, by `switch_to` for a phone if given.
    pub async fn resend(
        &mut self,
        switch_to: Option<DeliveryDto>,
    ) -> Result<RegistrationView, ProviderError> {
        let okta = match &self.directory {
            Directory::Okta(okta) => okta,
            Directory::Entra { .. } => return Err(ProviderError::NotAllowed),
        };
        match &mut self.pending {
            Some(Pending::Phone { id, delivery, .. }) => {
                if let Some(d) = switch_to {
                    *delivery = match d {
                        DeliveryDto::Sms => Delivery::Sms,
                        DeliveryDto::Call => Delivery::Call,
                    };
                }
                okta.send_phone_code(&self.token, id, *delivery).await?;
            }
            Some(Pending::Email { id, challenge, .. }) => {
                *challenge = okta.send_email_code(&self.token, id).await?;
            }
            None => {}
        }
        self.view().await
    }

    /// Removes a confirmed method, named by the id the view gave; only the user's own, as the
    /// provider lists them now.
    pub async fn remove(&mut self, id: &str) -> Result<RegistrationView, ProviderError> {
        let kind = self
            .registered()
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .map(|m| m.kind)
            .ok_or(ProviderError::NotAllowed)?;
        match (&self.directory, kind) {
            (Directory::Okta(okta), MethodKind::Phone) => {
                okta.remove_phone(&self.token, id).await?
            }
            (Directory::Okta(okta), MethodKind::Email) => {
                okta.remove_email(&self.token, id).await?
            }
            (Directory::Entra { graph, .. }, MethodKind::Phone) => {
                graph.remove_phone(&self.token, id).await?
            }
            (Directory::Entra { graph, .. }, MethodKind::Email) => {
                graph.remove_email(&self.token, id).await?
            }
        }
        self.view().await
    }

    /// Gives up on the pending method and removes it at the provider, unconfirmed as it is.
    pub async fn cancel(&mut self) -> Result<RegistrationView, ProviderError> {
        match self.pending.take() {
            Some(Pending::Phone { id, .. }) => self.okta()?.remove_phone(&self.token, &id).await?,
            Some(Pending::Email { id, .. }) => self.okta()?.remove_email(&self.token, &id).await?,
            None => {}
        }
        self.view().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
