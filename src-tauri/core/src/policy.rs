//! The organisation's self-service password reset policy, as Entra ID models it.
//!
//! Graph does not expose the SSPR policy to ordinary users, so it comes from the managed
//! configuration; the providers still enforce their own rules, this only guides the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who may reset their password themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SsprScope {
    None,
    SelectedGroup,
    All,
}

/// A way for a user to prove who they are during a reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    MobileApp,
    Email,
    MobilePhone,
    OfficePhone,
    SecurityQuestions,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SecurityQuestionRules {
    /// How many questions a user registers (3–5).
    pub to_register: u8,
    /// How many are asked at reset (3–5, at most `to_register`).
    pub to_reset: u8,
    pub min_answer_length: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub enabled_for: SsprScope,
    pub methods_allowed: Vec<Method>,
    /// Number of methods a reset needs: 1 or 2.
    pub methods_required: u8,
    #[serde(default)]
    pub security_questions: Option<SecurityQuestionRules>,
    pub registration_required: bool,
    /// Days before users are asked to reconfirm their methods (0 = never, at most 730).
    pub reconfirm_days: u16,
    pub notify_on_reset: bool,
    /// How many times "Remind me later" may be used before registration is required.
    #[serde(default = "default_reminders")]
    pub remind_later_limit: u8,
}

fn default_reminders() -> u8 {
    3
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            enabled_for: SsprScope::All,
            methods_allowed: vec![Method::MobileApp, Method::Email, Method::MobilePhone],
            methods_required: 2,
            security_questions: None,
            registration_required: true,
            reconfirm_days: 180,
            notify_on_reset: true,
            remind_later_limit: default_reminders(),
        }
    }
}

/// A policy rule that was broken, with the key (relative to `[policy]`) it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyViolation {
    pub key: &'static str,
    pub reason: String,
}

impl Policy {
    /// Checks the ranges and combinations the SSPR policy model allows.
    pub fn validate(&self) -> Result<(), PolicyViolation> {
        let fail = |key, reason: &str| {
            Err(PolicyViolation {
                key,
                reason: reason.to_owned(),
            })
        };
        if !(1..=2).contains(&self.methods_required) {
            return fail("methods_required", "must be 1 or 2");
        }
        if self.methods_allowed.is_empty() && self.enabled_for != SsprScope::None {
            return fail("methods_allowed", "must name at least one method");
        }
        let mut seen = self.methods_allowed.clone();
        seen.sort_by_key(|m| *m as u8);
        seen.dedup();
        if seen.len() != self.methods_allowed.len() {
            return fail("methods_allowed", "names a method twice");
        }
        if usize::from(self.methods_required) > self.methods_allowed.len()
            && self.enabled_for != SsprScope::None
        {
            return fail(
                "methods_required",
                "is more than the number of methods allowed",
            );
        }
        // Standards advise against knowledge-based answers; they may never stand alone.
        if self.methods_allowed == [Method::SecurityQuestions] {
            return fail(
                "methods_allowed",
                "security questions may not be the only method",
            );
        }
        let questions_allowed = self.methods_allowed.contains(&Method::SecurityQuestions);
        match (&self.security_questions, questions_allowed) {
            (None, true) => {
                return fail(
                    "security_questions",
                    "is required when security_questions is an allowed method",
                )
            }
            (Some(rules), _) => {
                if !(3..=5).contains(&rules.to_register) {
                    return fail("security_questions.to_register", "must be between 3 and 5");
                }
                if !(3..=5).contains(&rules.to_reset) || rules.to_reset > rules.to_register {
                    return fail(
                        "security_questions.to_reset",
                        "must be between 3 and 5 and at most to_register",
                    );
                }
                if rules.min_answer_length == 0 {
                    return fail("security_questions.min_answer_length", "must be at least 1");
                }
            }
            (None, false) => {}
        }
        if self.reconfirm_days > 730 {
            return fail("reconfirm_days", "must be between 0 and 730");
        }
        Ok(())
    }

    /// Whether a user with these methods registered can reset on their own.
    pub fn is_satisfied_by(&self, registered: &[Method]) -> bool {
        let usable = self
            .methods_allowed
            .iter()
            .filter(|m| registered.contains(m))
            .count();
        let only_questions = registered.iter().all(|m| *m == Method::SecurityQuestions);
        usable >= usize::from(self.methods_required) && !only_questions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        assert_eq!(Policy::default().validate(), Ok(()));
    }

    #[test]
    fn methods_required_must_be_one_or_two() {
        for n in [0, 3] {
            let p = Policy {
                methods_required: n,
                ..Policy::default()
            };
            assert_eq!(p.validate().unwrap_err().key, "methods_required");
        }
    }

    #[test]
    fn security_questions_never_alone() {
        let p = Policy {
            methods_allowed: vec![Method::SecurityQuestions],
            methods_required: 1,
            security_questions: Some(SecurityQuestionRules {
                to_register: 3,
                to_reset: 3,
                min_answer_length: 3,
            }),
            ..Policy::default()
        };
        assert_eq!(p.validate().unwrap_err().key, "methods_allowed");
    }

    #[test]
    fn question_counts_are_bounded() {
        let mut p = Policy {
            methods_allowed: vec![Method::Email, Method::SecurityQuestions],
            security_questions: Some(SecurityQuestionRules {
                to_register: 6,
                to_reset: 3,
                min_answer_length: 3,
            }),
            ..Policy::default()
        };
        assert_eq!(
            p.validate().unwrap_err().key,
            "security_questions.to_register"
        );
        p.security_questions = Some(SecurityQuestionRules {
            to_register: 3,
            to_reset: 4,
            min_answer_length: 3,
        });
        assert_eq!(p.validate().unwrap_err().key, "security_questions.to_reset");
        p.security_questions = None;
        assert_eq!(p.validate().unwrap_err().key, "security_questions");
    }

    #[test]
    fn reconfirm_days_capped_and_duplicates_refused() {
        let p = Policy {
            reconfirm_days: 731,
            ..Policy::default()
        };
        assert_eq!(p.validate().unwrap_err().key, "reconfirm_days");
        let p = Policy {
            methods_allowed: vec![Method::Email, Method::Email],
            ..Policy::default()
        };
        assert_eq!(p.validate().unwrap_err().key, "methods_allowed");
    }

    #[test]
    fn satisfied_by_counts_allowed_methods_only() {
        let p = Policy::default(); // 2 of app, e-mail, mobile phone
        assert!(!p.is_satisfied_by(&[Method::Email]));
        assert!(!p.is_satisfied_by(&[Method::Email, Method::OfficePhone]));
        assert!(p.is_satisfied_by(&[Method::Email, Method::MobilePhone]));
    }
}
