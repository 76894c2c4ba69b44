//! One-time verification codes: single use, expiring, with a limited number of attempts after
//! which the challenge is void (a new code does not reset a user's failure count elsewhere).

use chrono::{DateTime, Duration, Utc};
use subtle::ConstantTimeEq;

use crate::random;
use crate::ratelimit::Throttled;
use crate::seed::CodeRules;

#[derive(Debug, Clone)]
pub struct Challenge {
    code: String,
    expires_at: DateTime<Utc>,
    attempts_left: u8,
    pub sent_at: DateTime<Utc>,
    used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    Wrong,
    Expired,
    /// Used already, or too many wrong attempts: a new code must be sent.
    Void,
}

impl Challenge {
    pub fn issue(rules: &CodeRules, now: DateTime<Utc>) -> Challenge {
        Challenge {
            code: random::digits(rules.digits),
            expires_at: now + Duration::seconds(rules.lifetime_seconds),
            attempts_left: rules.max_attempts,
            sent_at: now,
            used: false,
        }
    }

    /// A fresh code for a resend. The attempts left carry over: a new code does not reset the
    /// failure count (NIST SP 800-63B §3.1.3.2).
    pub fn reissue(&self, rules: &CodeRules, now: DateTime<Utc>) -> Challenge {
        let mut next = Challenge::issue(rules, now);
        next.attempts_left = self.attempts_left;
        next
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    pub fn check(&mut self, offered: &str, now: DateTime<Utc>) -> CodeCheck {
        if self.used || self.attempts_left == 0 {
            return CodeCheck::Void;
        }
        if now >= self.expires_at {
            return CodeCheck::Expired;
        }
        if bool::from(offered.trim().as_bytes().ct_eq(self.code.as_bytes())) {
            self.used = true;
            return CodeCheck::Accepted;
        }
        self.attempts_left -= 1;
        if self.attempts_left == 0 {
            CodeCheck::Void
        } else {
            CodeCheck::Wrong
        }
    }

    /// Whether a resend is allowed yet, and if not, how many seconds to wait.
    pub fn resend_wait(&self, rules: &CodeRules, now: DateTime<Utc>) -> Option<i64> {
        let ready = self.sent_at + Duration::seconds(rules.resend_interval_seconds);
        (now < ready).then(|| (ready - now).num_seconds().max(1))
    }
}

/// The code to send next: a first one, or a resend that keeps the attempts left. Refused while
/// the previous code is younger than the resend interval.
pub fn next_challenge(
    previous: Option<&Challenge>,
    rules: &CodeRules,
    now: DateTime<Utc>,
) -> Result<Challenge, Throttled> {
    match previous {
        None => Ok(Challenge::issue(rules, now)),
        Some(old) => match old.resend_wait(rules, now) {
            Some(wait) => Err(Throttled {
                retry_after: wait,
                reset_at: now + Duration::seconds(wait),
                limit: 1,
            }),
            None => Ok(old.reissue(rules, now)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> CodeRules {
        CodeRules {
            digits: 6,
            lifetime_seconds: 600,
            max_attempts: 3,
            resend_interval_seconds: 30,
        }
    }

    #[test]
    fn a_code_works_once() {
        let now = Utc::now();
        let mut c = Challenge::issue(&rules(), now);
        let code = c.code().to_owned();
        assert_eq!(c.check(&code, now), CodeCheck::Accepted);
        assert_eq!(c.check(&code, now), CodeCheck::Void);
    }

    #[test]
    fn a_code_expires() {
        let now = Utc::now();
        let mut c = Challenge::issue(&rules(), now);
        let code = c.code().to_owned();
        assert_eq!(
            c.check(&code, now + Duration::seconds(600)),
            CodeCheck::Expired
        );
    }

    #[test]
    fn too_many_wrong_codes_void_the_challenge() {
        let now = Utc::now();
        let mut c = Challenge::issue(&rules(), now);
        let code = c.code().to_owned();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(c.check(wrong, now), CodeCheck::Wrong);
        assert_eq!(c.check(wrong, now), CodeCheck::Wrong);
        assert_eq!(c.check(wrong, now), CodeCheck::Void);
        assert_eq!(c.check(&code, now), CodeCheck::Void);
        let again = c.reissue(&rules(), now);
        let code = again.code().to_owned();
        assert_eq!(
            again.clone().check(&code, now),
            CodeCheck::Void,
            "a resend does not reset the count"
        );
    }

    #[test]
    fn resend_waits_for_the_interval() {
        let now = Utc::now();
        let c = Challenge::issue(&rules(), now);
        assert_eq!(
            c.resend_wait(&rules(), now + Duration::seconds(10)),
            Some(20)
        );
        assert_eq!(c.resend_wait(&rules(), now + Duration::seconds(30)), None);
    }
}
