//! Okta behind the provider seam: everything in the app. MyAccount lists, adds (confirmed by
//! code) and removes phones and e-mails; the Authentication API resets a forgotten password.

use async_trait::async_trait;
use secrecy::SecretString;
use url::Url;

use super::myaccount::Delivery as OktaDelivery;
use super::Okta;
use crate::auth::{Platform, SignInTarget};
use crate::dto::{Delivery, MethodKind};
use crate::providers::recovery::Recovery;
use crate::providers::seam::{Enrolling, Enrolment, KnownMethod, NewMethod, Provider};
use crate::providers::ProviderError;

/// MyAccount scopes for the user's own phones and e-mails, for registration.
const SCOPES: &[&str] = &["okta.myAccount.phone.manage", "okta.myAccount.email.manage"];

#[async_trait]
impl Provider for Okta {
    fn sign_in(&self) -> Option<SignInTarget> {
        Some(SignInTarget {
            issuer: self.issuer.clone(),
            scopes: SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            platform: Platform::Standard,
            always_offline: false,
        })
    }

    /// The authorization server's discovery document: what sign-in and reset both need.
    fn reachability_url(&self) -> Option<Url> {
        Url::parse(&format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        ))
        .ok()
    }

    fn reset_page_url(&self) -> Option<String> {
        self.org
            .join("signin/forgot-password")
            .ok()
            .map(String::from)
    }

    async fn methods(&self, token: &SecretString) -> Result<Vec<KnownMethod>, ProviderError> {
        let phones = self.phones(token).await?;
        let emails = self.emails(token).await?;
        let mut methods: Vec<KnownMethod> = phones
            .into_iter()
            .filter(|p| p.verified)
            .map(|p| KnownMethod {
                id: p.id,
                kind: MethodKind::Phone,
                value: p.number,
            })
            .collect();
        // The primary (work) address cannot recover the account that owns it.
        methods.extend(
            emails
                .into_iter()
                .filter(|e| e.verified && !e.primary)
                .map(|e| KnownMethod {
                    id: e.id,
                    kind: MethodKind::Email,
                    value: e.address,
                }),
        );
        Ok(methods)
    }

    async fn remove_method(
        &self,
        token: &SecretString,
        method: &KnownMethod,
    ) -> Result<(), ProviderError> {
        match method.kind {
            MethodKind::Phone => self.remove_phone(token, &method.id).await,
            MethodKind::Email => self.remove_email(token, &method.id).await,
        }
    }

    fn enrolment(&self) -> Option<&dyn Enrolment> {
        Some(self)
    }

    fn recovery(&self) -> Option<&dyn Recovery> {
        Some(self)
    }
}

fn okta_delivery(delivery: Delivery) -> OktaDelivery {
    match delivery {
        Delivery::Sms => OktaDelivery::Sms,
        Delivery::Call => OktaDelivery::Call,
    }
}

#[async_trait]
impl Enrolment for Okta {
    async fn add(
        &self,
        token: &SecretString,
        method: &NewMethod,
    ) -> Result<Enrolling, ProviderError> {
        match method {
            NewMethod::Phone { e164, delivery } => {
                let delivery = okta_delivery(*delivery);
                let existing = self.phones(token).await?;
                let id = match existing.iter().find(|p| &p.number == e164) {
                    Some(p) if !p.verified => {
                        self.send_phone_code(token, &p.id, delivery).await?;
                        p.id.clone()
                    }
                    Some(_) => return Err(ProviderError::PhoneRefused),
                    None => self.add_phone(token, e164, delivery).await?.id,
                };
                Ok(Enrolling {
                    id,
                    challenge: None,
                })
            }
            NewMethod::Email { address } => {
                let existing = self.emails(token).await?;
                let id = match existing
                    .iter()
                    .find(|e| e.address.eq_ignore_ascii_case(address))
                {
                    Some(e) if !e.verified && !e.primary => e.id.clone(),
                    Some(_) => return Err(ProviderError::EmailRefused),
                    None => self.add_email(token, address).await?.id,
                };
                let challenge = self.send_email_code(token, &id).await?;
                Ok(Enrolling {
                    id,
                    challenge: Some(challenge),
                })
            }
        }
    }

    async fn resend(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<Enrolling, ProviderError> {
        match method {
            NewMethod::Phone { delivery, .. } => {
                self.send_phone_code(token, &enrolling.id, okta_delivery(*delivery))
                    .await?;
                Ok(enrolling.clone())
            }
            NewMethod::Email { .. } => Ok(Enrolling {
                id: enrolling.id.clone(),
                challenge: Some(self.send_email_code(token, &enrolling.id).await?),
            }),
        }
    }

    async fn confirm(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
        code: &SecretString,
    ) -> Result<(), ProviderError> {
        match (method, &enrolling.challenge) {
            (NewMethod::Phone { .. }, _) => self.verify_phone(token, &enrolling.id, code).await,
            (NewMethod::Email { .. }, Some(challenge)) => {
                self.verify_email(token, &enrolling.id, challenge, code)
                    .await
            }
            // An e-mail code is checked against the challenge it was sent with.
            (NewMethod::Email { .. }, None) => Err(ProviderError::SessionExpired),
        }
    }

    async fn abandon(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<(), ProviderError> {
        match method {
            NewMethod::Phone { .. } => self.remove_phone(token, &enrolling.id).await,
            NewMethod::Email { .. } => self.remove_email(token, &enrolling.id).await,
        }
    }
}
