//! The provider seam: what a directory can do for its users, asked once, in one place.
//!
//! [`Provider`] is a trait object rather than an enum of the directories we know. A trait lets
//! a test provider (or a later directory: Keycloak, Ory) plug into the journeys without a new
//! branch in each of them, and keeps each vendor's wire format in its own module. The price,
//! dynamic dispatch and boxed futures (`async_trait`), is nothing next to a network call.
//!
//! What a provider offers is told by the optional parts it returns ([`Provider::enrolment`],
//! [`Provider::recovery`], [`Provider::password`]) and summed up as data in
//! [`Capabilities`], so the capability and the operation can never disagree.

use async_trait::async_trait;
use secrecy::SecretString;
use url::Url;

use super::recovery::Recovery;
use super::ProviderError;
use crate::auth::SignInTarget;
use crate::dto::{Capabilities, Delivery, MethodKind, PasswordExpiry, PasswordHints, Where};
use crate::locale::Language;

/// A method registered for the user, unmasked: it never leaves the core like this.
#[derive(Clone, PartialEq, Eq)]
pub struct KnownMethod {
    pub id: String,
    pub kind: MethodKind,
    /// E.164 for a phone, the address for an e-mail.
    pub value: String,
}

impl std::fmt::Debug for KnownMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnownMethod")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A method the user is adding in the app.
#[derive(Clone, PartialEq, Eq)]
pub enum NewMethod {
    Phone { e164: String, delivery: Delivery },
    Email { address: String },
}

/// What the provider needs to confirm a method it just sent a code to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolling {
    pub id: String,
    /// The provider's challenge for this code, where it has one (Okta's e-mail challenge).
    pub challenge: Option<String>,
}

/// Every directory: sign-in, reachability, help pages, and the user's registered methods.
#[async_trait]
pub trait Provider: Send + Sync {
    /// How the app signs in to this provider.
    fn sign_in(&self) -> Option<SignInTarget>;

    /// What "is the provider reachable?" probes before an unauthenticated journey.
    fn reachability_url(&self) -> Option<Url>;

    /// The provider's own reset page, for a phone on mobile data (the offline screen's QR).
    fn reset_page_url(&self) -> Option<String>;

    /// Where users add methods when the app cannot (a hand-off page), if anywhere.
    fn registration_page(&self) -> Option<String> {
        None
    }

    /// The provider's reset portal for `username`, when "Forgot password" is a hand-off.
    fn reset_portal(&self, _username: &str, _language: Language) -> Option<String> {
        None
    }

    /// The signed-in user's recovery methods, as the directory counts them.
    async fn methods(&self, token: &SecretString) -> Result<Vec<KnownMethod>, ProviderError>;

    /// Removes one of the user's methods.
    async fn remove_method(
        &self,
        token: &SecretString,
        method: &KnownMethod,
    ) -> Result<(), ProviderError>;

    /// Adding methods in the app, confirmed by code; `None` when the provider refuses it.
    fn enrolment(&self) -> Option<&dyn Enrolment> {
        None
    }

    /// Resetting a forgotten password in the app; `None` when that is a hand-off.
    fn recovery(&self) -> Option<&dyn Recovery> {
        None
    }

    /// Changing a known password and its expiry; `None` when the app cannot.
    fn password(&self) -> Option<&dyn PasswordAccount> {
        None
    }

    /// Self-service unlock; no provider offers it in the app yet.
    fn unlock(&self) -> bool {
        false
    }

    /// What this provider offers, as data for the UI and the journeys.
    fn capabilities(&self) -> Capabilities {
        let add_methods = match (self.enrolment(), self.registration_page()) {
            (Some(_), _) => Where::InApp,
            (None, Some(_)) => Where::Handoff,
            (None, None) => Where::Unavailable,
        };
        let reset = match (self.recovery(), self.reset_portal("", Language::En)) {
            (Some(_), _) => Where::InApp,
            (None, Some(_)) => Where::Handoff,
            (None, None) => Where::Unavailable,
        };
        Capabilities {
            add_methods,
            reset,
            change_password: self.password().is_some(),
            expiry: self.password().is_some_and(|p| p.knows_expiry()),
            unlock: self.unlock(),
            lists: vec![MethodKind::Phone, MethodKind::Email],
        }
    }
}

/// Adding a phone or an e-mail in the app, each confirmed by a code sent to it.
#[async_trait]
pub trait Enrolment: Send + Sync {
    /// Adds the method, or reuses an unconfirmed one with the same value, and sends a code.
    /// A method already confirmed is refused.
    async fn add(
        &self,
        token: &SecretString,
        method: &NewMethod,
    ) -> Result<Enrolling, ProviderError>;

    /// A new code for the method being added (for a phone, by `method`'s delivery).
    async fn resend(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<Enrolling, ProviderError>;

    async fn confirm(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
        code: &SecretString,
    ) -> Result<(), ProviderError>;

    /// Removes the unconfirmed method.
    async fn abandon(
        &self,
        token: &SecretString,
        method: &NewMethod,
        enrolling: &Enrolling,
    ) -> Result<(), ProviderError>;
}

/// A signed-in user's password: its rules, changing it, and when it expires.
#[async_trait]
pub trait PasswordAccount: Send + Sync {
    /// The rules the change-password screen ticks while the user types.
    fn rules(&self) -> PasswordHints;

    /// Changes the password, both sent exactly as typed.
    async fn change(
        &self,
        token: &SecretString,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), ProviderError>;

    /// Whether [`PasswordAccount::expiry`] can ever say more than "unknown".
    fn knows_expiry(&self) -> bool;

    /// When the password expires, and whether to remind within `remind_within` days.
    async fn expiry(
        &self,
        token: &SecretString,
        username: Option<&str>,
        remind_within: u16,
    ) -> Result<PasswordExpiry, ProviderError>;
}
