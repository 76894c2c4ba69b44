//! Microsoft Entra ID behind the provider seam. Graph reads and deletes the user's methods and
//! changes a known password, but refuses self-service adds and has no API for a forgotten
//! password: adding is a hand-off to My Sign-ins' security info page, and "Forgot password" a
//! hand-off to the SSPR portal (docs/entra.md).

mod expiry;
mod rules;

pub use expiry::expiry;
pub use rules::{entra_hints, meets_entra_rules};

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::auth::{Platform, SignInTarget};
use crate::dto::{MethodKind, PasswordExpiry, PasswordHints};
use crate::locale::Language;
use crate::providers::graph::{AuthMethod, Graph};
use crate::providers::seam::{KnownMethod, PasswordAccount, Provider};
use crate::providers::ProviderError;

/// The Microsoft Graph permissions Latchkey asks for (all delegated, all need admin consent
/// except `User.Read`): reading and deleting methods, the password's age and the domain's
/// policy, and changePassword (docs/entra.md).
pub const SCOPES: &[&str] = &[
    "User.Read",
    "UserAuthenticationMethod.ReadWrite",
    "Domain.Read.All",
    "User-PasswordProfile.ReadWrite.All",
];

/// One Entra tenant, reached at Microsoft's endpoints (or a national cloud's, or the sandbox's).
pub struct Entra {
    /// `{authority host}/{tenant}/v2.0`.
    pub authority: String,
    pub graph: Graph,
    pub security_info: String,
    pub reset_portal: String,
}

#[async_trait]
impl Provider for Entra {
    fn sign_in(&self) -> Option<SignInTarget> {
        Some(SignInTarget {
            issuer: self.authority.clone(),
            scopes: SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            platform: Platform::Microsoft,
            // Entra always needs offline_access for the one silent refresh after a 401.
            always_offline: true,
        })
    }

    /// Entra's "Forgot password" is the SSPR portal: that is what must answer.
    fn reachability_url(&self) -> Option<Url> {
        Url::parse(&self.reset_portal).ok()
    }

    fn reset_page_url(&self) -> Option<String> {
        Some(self.reset_portal.clone())
    }

    fn registration_page(&self) -> Option<String> {
        Some(self.security_info.clone())
    }

    /// Microsoft fills the username in from `username` (best effort) and shows its pages in
    /// `mkt`'s language.
    fn reset_portal(&self, username: &str, language: Language) -> Option<String> {
        let mut url = Url::parse(&self.reset_portal).ok()?;
        {
            let mut query = url.query_pairs_mut();
            let username = username.trim();
            if !username.is_empty() && username.len() <= 256 {
                query.append_pair("username", username);
            }
            query.append_pair(
                "mkt",
                match language {
                    Language::En => "en-US",
                    Language::Fr => "fr-FR",
                },
            );
        }
        Some(url.to_string())
    }

    async fn methods(&self, token: &SecretString) -> Result<Vec<KnownMethod>, ProviderError> {
        let methods = self.graph.methods(token).await?;
        Ok(methods
            .into_iter()
            .filter_map(|m| match m {
                // Graph writes `+1 4255550123`; the core keeps E.164.
                AuthMethod::Phone { id, number, .. } => Some(KnownMethod {
                    id,
                    kind: MethodKind::Phone,
                    value: number.replace(' ', ""),
                }),
                AuthMethod::Email { id, address } => Some(KnownMethod {
                    id,
                    kind: MethodKind::Email,
                    value: address,
                }),
                AuthMethod::Password | AuthMethod::Other { .. } => None,
            })
            .collect())
    }

    async fn remove_method(
        &self,
        token: &SecretString,
        method: &KnownMethod,
    ) -> Result<(), ProviderError> {
        match method.kind {
            MethodKind::Phone => self.graph.remove_phone(token, &method.id).await,
            MethodKind::Email => self.graph.remove_email(token, &method.id).await,
        }
    }

    fn password(&self) -> Option<&dyn PasswordAccount> {
        Some(self)
    }
}

#[async_trait]
impl PasswordAccount for Entra {
    fn rules(&self) -> PasswordHints {
        entra_hints()
    }

    async fn change(
        &self,
        token: &SecretString,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), ProviderError> {
        if !meets_entra_rules(new.expose_secret()) {
            return Err(ProviderError::PasswordRejected {
                reasons: Vec::new(),
            });
        }
        self.graph.change_password(token, current, new).await
    }

    fn knows_expiry(&self) -> bool {
        true
    }

    async fn expiry(
        &self,
        token: &SecretString,
        username: Option<&str>,
        remind_within: u16,
    ) -> Result<PasswordExpiry, ProviderError> {
        expiry::check(&self.graph, token, username, remind_within).await
    }
}
