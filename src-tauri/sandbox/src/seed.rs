//! The seed: the tenant's policy, password rules and demo users, read from TOML.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The seed checked into the repository, used by the demo and the tests.
pub const DEMO_SEED: &str = include_str!("../seed.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub tenant: TenantSeed,
    pub policy: PolicySeed,
    pub passwords: PasswordRules,
    pub codes: CodeRules,
    pub rate_limits: RateLimits,
    /// How the Graph surface answers where Microsoft's behaviour varies by tenant.
    #[serde(default)]
    pub graph: GraphSeed,
    #[serde(default)]
    pub users: Vec<UserSeed>,
}

/// Graph behaviours that differ between tenants; the defaults are the common case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GraphSeed {
    /// Items per page of a collection; more follow by `@odata.nextLink`. 0: one page.
    pub page_size: usize,
    /// Whether `passwordValidityPeriodInDays` is set; unset, Graph answers `null` (Learn's
    /// get-domain example), which means 90 days or never depending on the tenant's age.
    pub password_validity_set: bool,
    /// Whether ordinary members may read `/domains/{id}`; Learn lists roles for it.
    pub members_read_domains: bool,
    /// Whether the SMS sign-in method is enabled in the Authentication methods policy: a
    /// mobile number's `smsSignInState` is then `ready`, else `notAllowedByPolicy`.
    pub sms_sign_in: bool,
}

impl Default for GraphSeed {
    fn default() -> GraphSeed {
        GraphSeed {
            page_size: 0,
            password_validity_set: true,
            members_read_domains: true,
            sms_sign_in: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSeed {
    pub name: String,
    pub domain: String,
    pub client_id: String,
    /// The directory (tenant) id of the Entra flavour: its issuer is `/{id}/v2.0`.
    #[serde(default = "default_entra_tenant_id")]
    pub entra_tenant_id: String,
    #[serde(default)]
    pub show_demo_users: bool,
}

fn default_entra_tenant_id() -> String {
    "5a1d6b4e-3c2f-4e8a-9b7d-0c1e2f3a4b5c".to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnabledFor {
    None,
    Group,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedMethod {
    MobileApp,
    Email,
    MobilePhone,
    OfficePhone,
    SecurityQuestions,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySeed {
    pub enabled_for: EnabledFor,
    #[serde(default)]
    pub group: Option<String>,
    pub methods_allowed: Vec<SeedMethod>,
    pub methods_required: u8,
    pub registration_required: bool,
    pub reconfirm_days: u16,
    pub notify_on_reset: bool,
    pub security_questions: SecurityQuestionSeed,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityQuestionSeed {
    pub register: u8,
    pub reset: u8,
    pub min_answer_length: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordRules {
    pub min_length: usize,
    pub max_length: usize,
    pub min_lower: usize,
    pub min_upper: usize,
    pub min_number: usize,
    pub min_symbol: usize,
    pub exclude_username: bool,
    pub history: usize,
    pub allow_unicode: bool,
    pub banned: Vec<String>,
    pub validity_days: u32,
    pub notification_window_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRules {
    pub digits: u8,
    pub lifetime_seconds: i64,
    pub max_attempts: u8,
    pub resend_interval_seconds: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub requests: u32,
    pub window_seconds: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    pub recovery_start: Limit,
    pub graph: Limit,
    pub sign_in: Limit,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub username: String,
    pub display_name: String,
    pub given_name: String,
    pub family_name: String,
    pub password: String,
    #[serde(default)]
    pub groups: Vec<String>,
    pub password_changed: DateTime<Utc>,
    #[serde(default)]
    pub registered: Option<DateTime<Utc>>,
    #[serde(default)]
    pub phones: Vec<PhoneSeed>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub recovery_question: Option<QuestionSeed>,
    #[serde(default)]
    pub password_never_expires: bool,
    /// The phone that is the user's default MFA method, which Graph will not delete.
    #[serde(default)]
    pub default_method: Option<PhoneKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    AlternateMobile,
    Office,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneSeed {
    pub number: String,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSeed {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the seed is not valid TOML for a tenant: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("the seed is inconsistent: {0}")]
    Invalid(String),
}

impl Seed {
    pub fn parse(text: &str) -> Result<Seed, SeedError> {
        let seed: Seed = toml::from_str(text)?;
        seed.check()?;
        Ok(seed)
    }

    pub fn demo() -> Seed {
        // The checked-in seed is tested below; failing here would be a build defect.
        #[allow(clippy::expect_used)]
        Seed::parse(DEMO_SEED).expect("the checked-in seed is valid")
    }

    fn check(&self) -> Result<(), SeedError> {
        let bad = |why: &str| Err(SeedError::Invalid(why.to_owned()));
        if !(1..=2).contains(&self.policy.methods_required) {
            return bad("policy.methods_required must be 1 or 2");
        }
        if self.policy.reconfirm_days > 730 {
            return bad("policy.reconfirm_days must be 0 to 730");
        }
        let q = &self.policy.security_questions;
        if !(3..=5).contains(&q.register) || !(3..=5).contains(&q.reset) || q.reset > q.register {
            return bad(
                "policy.security_questions: register and reset are 3 to 5, reset <= register",
            );
        }
        if self.policy.enabled_for == EnabledFor::Group && self.policy.group.is_none() {
            return bad("policy.group is required when enabled_for = \"group\"");
        }
        if !(6..=8).contains(&self.codes.digits) {
            return bad("codes.digits must be 6 to 8");
        }
        if self.codes.max_attempts == 0 || self.codes.lifetime_seconds <= 0 {
            return bad("codes.max_attempts and codes.lifetime_seconds must be positive");
        }
        let mut names = std::collections::HashSet::new();
        for user in &self.users {
            if !names.insert(user.username.to_lowercase()) {
                return bad("two users share a username");
            }
            if user.phones.len() > 3 {
                return bad("a user has at most 3 phones");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_seed_has_one_new_and_one_registered_user() {
        let seed = Seed::demo();
        assert_eq!(seed.users.len(), 2);
        assert!(seed.users[0].phones.is_empty() && seed.users[0].emails.is_empty());
        assert_eq!(seed.users[1].phones.len(), 1);
        assert_eq!(seed.users[1].emails.len(), 1);
    }

    #[test]
    fn inconsistent_seeds_are_refused() {
        let bad = DEMO_SEED.replace("methods_required = 2", "methods_required = 3");
        assert!(matches!(Seed::parse(&bad), Err(SeedError::Invalid(_))));
        let bad = DEMO_SEED.replace("digits = 6", "digits = 4");
        assert!(matches!(Seed::parse(&bad), Err(SeedError::Invalid(_))));
        let bad = DEMO_SEED.replace("[codes]", "[codes]\nsurprise = 1");
        assert!(matches!(Seed::parse(&bad), Err(SeedError::Parse(_))));
    }
}
