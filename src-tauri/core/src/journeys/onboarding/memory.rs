//! A directory kept in memory, for the onboarding journey's unit tests only: it implements the
//! provider seam and nothing else, which is what a new directory has to do.

use std::sync::Mutex;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::dto::{Delivery, MethodKind};
use crate::providers::seam::{Enrolling, Enrolment, KnownMethod, NewMethod, Provider};
use crate::providers::ProviderError;

pub const REGISTRATION_PAGE: &str = "https://directory.test/security-info";

#[derive(Default)]
struct Held {
    methods: Vec<(KnownMethod, bool)>,
    last_code: String,
    last_delivery: Option<Delivery>,
    next_id: u32,
    calls: u32,
}

pub struct MemoryDirectory {
    enrols_in_app: bool,
    held: Mutex<Held>,
}

impl MemoryDirectory {
    pub fn new(enrols_in_app: bool) -> MemoryDirectory {
        MemoryDirectory {
            enrols_in_app,
            held: Mutex::new(Held::default()),
        }
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn last_code(&self) -> String {
        self.held().last_code.clone()
    }

    pub fn last_delivery(&self) -> Option<Delivery> {
        self.held().last_delivery
    }

    pub fn calls(&self) -> u32 {
        self.held().calls
    }

    pub fn unconfirmed(&self) -> usize {
        self.held().methods.iter().filter(|(_, ok)| !ok).count()
    }

    /// Every call checks the token as a provider would.
    fn authorise(
        &self,
        token: &SecretString,
    ) -> Result<std::sync::MutexGuard<'_, Held>, ProviderError> {
        let mut held = self.held();
        held.calls += 1;
        if token.expose_secret() == "expired" {
            return Err(ProviderError::SignInRequired);
        }
        Ok(held)
    }

    fn send_code(held: &mut Held, method: &NewMethod) {
        held.next_id += 1;
        held.last_code = format!("{:06}", 100_000 + held.next_id * 7);
        held.last_delivery = match method {
            NewMethod::Phone { delivery, .. } => Some(*delivery),
            NewMethod::Email { .. } => None,
        };
    }
}

fn value_of(method: &NewMethod) -> (MethodKind, &str) {
    match method {
        NewMethod::Phone { e164, .. } => (MethodKind::Phone, e164),
        NewMethod::Email { address } => (MethodKind::Email, address),
    }
}

#[async_trait]
impl Provider for MemoryDirectory {
    fn sign_in(&self) -> Option<crate::auth::SignInTarget> {
        None
    }

    fn reachability_url(&self) -> Option<Url> {
        None
    }

    fn reset_page_url(&self) -> Option<String> {
        None
    }

    fn registration_page(&self) -> Option<String> {
        Some(REGISTRATION_PAGE.to_owned())
    }

    async fn methods(&self, token: &SecretString) -> Result<Vec<KnownMethod>, ProviderError> {
        let held = self.authorise(token)?;
        Ok(held
            .methods
            .iter()
            .filter(|(_, confirmed)| *confirmed)
            .map(|(m, _)| m.clone())
            .collect())
    }

    async fn remove_method(
        &self,
        token: &SecretString,
        method: &KnownMethod,
    ) -> Result<(), ProviderError> {
        let mut held = self.authorise(token)?;
        held.methods.retain(|(m, _)| m.id != method.id);
        Ok(())
    }

    fn enrolment(&self) -> Option<&dyn Enrolment> {
        self.enrols_in_app.then_some(self as &dyn Enrolment)
    }
}

#[async_trait]
impl Enrolment for MemoryDirectory {
    async fn add(
        &self,
        token: &SecretString,
        method: &NewMethod,
    ) -> Result<Enrolling, ProviderError> {
        let mut held = self.authorise(token)?;
        let (kind, value) = value_of(method);
        Self::send_code(&mut held, method);
        let id = format!("m{}", held.next_id);
        held.methods.push((
            KnownMethod {
                id: id.clone(),
                kind,
                value: value.to_owned(),
            },
            false,
        ));
        Ok(Enrolling {
            id,
            challenge: None,
        })
    }

    async fn resend(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<Enrolling, ProviderError> {
        let mut held = self.authorise(token)?;
        Self::send_code(&mut held, method);
        Ok(enrolling.clone())
    }

    async fn confirm(
        &self,
        token: &SecretString,
        _method: &NewMethod,
        enrolling: &Enrolling,
        code: &SecretString,
    ) -> Result<(), ProviderError> {
        let mut held = self.authorise(token)?;
        if code.expose_secret() != held.last_code {
            return Err(ProviderError::WrongCode);
        }
        for (m, confirmed) in &mut held.methods {
            if m.id == enrolling.id {
                *confirmed = true;
            }
        }
        Ok(())
    }

    async fn abandon(
        &self,
        token: &SecretString,
        _method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<(), ProviderError> {
        let mut held = self.authorise(token)?;
        held.methods.retain(|(m, _)| m.id != enrolling.id);
        Ok(())
    }
}
