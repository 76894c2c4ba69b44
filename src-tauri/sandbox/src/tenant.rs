//! The tenant's state: users and their methods, grants, recovery transactions, outbox, limits.
//! One lock guards it all; handlers do short, synchronous work under it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::clock::TenantClock;
use crate::codes::Challenge;
use crate::outbox::{Channel, Outbox};
use crate::password::PasswordHash;
use crate::random;
use crate::ratelimit::RateLimiter;
use crate::seed::{EnabledFor, PhoneKind, Seed, SeedMethod, UserSeed};

pub type UserId = usize;

#[derive(Debug)]
pub struct User {
    /// Okta's user id (`00u…`).
    pub okta_id: String,
    /// The directory object id Graph shows.
    pub object_id: String,
    pub username: String,
    pub display_name: String,
    pub given_name: String,
    pub family_name: String,
    pub password: PasswordHash,
    /// Earlier passwords, newest first.
    pub history: Vec<PasswordHash>,
    pub groups: Vec<String>,
    pub password_changed: DateTime<Utc>,
    pub password_never_expires: bool,
    pub registered: Option<DateTime<Utc>>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub question: Option<(String, String)>,
}

#[derive(Debug)]
pub struct Phone {
    pub id: String,
    /// `+` and digits (E.164).
    pub number: String,
    pub kind: PhoneKind,
    pub verified: bool,
    pub challenge: Option<Challenge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailRole {
    Primary,
    Secondary,
}

#[derive(Debug)]
pub struct Email {
    pub id: String,
    pub address: String,
    pub role: EmailRole,
    pub verified: bool,
    /// The open verification challenge and its id.
    pub challenge: Option<(String, Challenge)>,
}

/// Which vendor's sign-in a request came through: it decides the issuer, the redirect rules
/// and the shape of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// An Okta custom authorization server, `/oauth2/default`.
    Okta,
    /// The Microsoft identity platform v2.0, `/{tenant}/oauth2/v2.0`.
    Entra,
}

/// What a bearer token lets its holder do.
#[derive(Debug, Clone)]
pub struct Grant {
    pub flavour: Flavour,
    pub user: UserId,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub auth_time: DateTime<Utc>,
}

impl Grant {
    pub fn has_scope(&self, wanted: &str) -> bool {
        self.scopes.iter().any(|s| s == wanted)
    }
}

/// A code the authorization endpoint issued, redeemable once at the token endpoint.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    pub flavour: Flavour,
    pub user: UserId,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub auth_time: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub grant: Grant,
    pub family: String,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryFactor {
    Sms,
    Call,
    Email,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryStep {
    /// A code was sent (or, for an unknown user, pretended to be).
    Challenge,
    /// The code was right; the recovery question is next.
    Question,
    /// Identity proven; a new password may be set.
    PasswordReset,
}

#[derive(Debug)]
pub struct Recovery {
    /// `None` for an unknown username: the answers look the same, nothing is ever sent.
    pub user: Option<UserId>,
    pub factor: RecoveryFactor,
    pub step: RecoveryStep,
    pub challenge: Option<Challenge>,
    pub expires_at: DateTime<Utc>,
    /// Wrong recovery-question answers so far; the transaction ends at the limit.
    pub wrong_answers: u8,
}

pub struct Tenant {
    pub seed: Seed,
    pub clock: TenantClock,
    pub users: Vec<User>,
    pub outbox: Outbox,
    pub limiter: RateLimiter,
    pub codes: HashMap<String, AuthorizationCode>,
    pub access: HashMap<String, Grant>,
    pub refresh: HashMap<String, RefreshGrant>,
    /// Recovery transactions by state token.
    pub recoveries: HashMap<String, Recovery>,
    /// E-mailed recovery tokens, each pointing at its transaction's state token.
    pub recovery_tokens: HashMap<String, String>,
    /// Authorization requests waiting on the sign-in page, by transaction id.
    pub authorize_requests: HashMap<String, AuthorizeRequest>,
    /// AADSTS errors a test asked the Entra token endpoint to give a user (lowercase username).
    pub aadsts_faults: HashMap<String, u32>,
    /// How many Graph calls still answer 503 (`POST /sandbox/graph-outage`), for tests of an
    /// outage at Microsoft.
    pub graph_outage: u32,
    /// The provider's sign-in sessions in browsers, by cookie value (`oidc::session`).
    pub browser_sessions: HashMap<String, BrowserSession>,
    /// Every bearer secret the tenant handed out (access, ID and refresh tokens, state and
    /// recovery tokens), so tests can look for them where they must never be. Demo data only.
    pub issued: Vec<String>,
}

/// One browser's sign-in at the provider: who, and when they last typed their password.
#[derive(Debug, Clone, Copy)]
pub struct BrowserSession {
    pub user: UserId,
    pub authenticated_at: DateTime<Utc>,
}

/// A validated authorization request, kept while the user is on the sign-in page.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub flavour: Flavour,
    pub redirect_uri: String,
    pub state: String,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub scopes: Vec<String>,
    pub login_hint: Option<String>,
    pub expires_at: DateTime<Utc>,
}

impl Tenant {
    pub fn new(seed: Seed, clock: TenantClock) -> Tenant {
        let users = seed.users.iter().map(User::from_seed).collect();
        Tenant {
            seed,
            clock,
            users,
            outbox: Outbox::default(),
            limiter: RateLimiter::default(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            recoveries: HashMap::new(),
            recovery_tokens: HashMap::new(),
            authorize_requests: HashMap::new(),
            aadsts_faults: HashMap::new(),
            graph_outage: 0,
            browser_sessions: HashMap::new(),
            issued: Vec::new(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn find_user(&self, username: &str) -> Option<UserId> {
        let wanted = username.trim();
        self.users
            .iter()
            .position(|u| u.username.eq_ignore_ascii_case(wanted))
    }

    /// The bearer grant of `token`, if it is live.
    pub fn grant(&self, token: &str) -> Option<Grant> {
        let grant = self.access.get(token)?;
        (grant.expires_at > self.now()).then(|| grant.clone())
    }

    /// Whether the SSPR policy covers this user.
    pub fn sspr_enabled_for(&self, user: UserId) -> bool {
        match self.seed.policy.enabled_for {
            EnabledFor::None => false,
            EnabledFor::All => true,
            EnabledFor::Group => self
                .seed
                .policy
                .group
                .as_ref()
                .is_some_and(|g| self.users[user].groups.contains(g)),
        }
    }

    pub fn method_allowed(&self, method: SeedMethod) -> bool {
        self.seed.policy.methods_allowed.contains(&method)
    }

    /// Records what a real tenant would send, in the outbox.
    pub fn send_code(&mut self, channel: Channel, to: &str, code: &str, purpose: &str) {
        let now = self.now();
        let minutes = self.seed.codes.lifetime_seconds / 60;
        let body = match channel {
            Channel::Sms => format!("{code} is your {} verification code for {purpose}. It expires in {minutes} minutes.", self.seed.tenant.name),
            Channel::Call => format!("Hello. Your {} verification code is: {}. Again: {}.", self.seed.tenant.name, spaced(code), spaced(code)),
            Channel::Email => format!("Your verification code for {purpose} is {code}.\n\nIt expires in {minutes} minutes. If you did not ask for it, tell your helpdesk."),
        };
        let subject = format!("{} verification code", self.seed.tenant.name);
        self.outbox
            .send(now, channel, to, &subject, body, Some(code.to_owned()));
    }

    /// "Your password was reset", to every verified address of the user, when the policy says so.
    pub fn notify_password_reset(&mut self, user: UserId) {
        if !self.seed.policy.notify_on_reset {
            return;
        }
        let now = self.now();
        let name = self.seed.tenant.name.clone();
        let to: Vec<String> = self.users[user]
            .emails
            .iter()
            .filter(|e| e.verified)
            .map(|e| e.address.clone())
            .collect();
        for address in to {
            self.outbox.send(
                now,
                Channel::Email,
                &address,
                &format!("Your {name} password was reset"),
                "The password of your account was just reset. If this was not you, call your helpdesk now.".to_owned(),
                None,
            );
        }
    }

    /// Counts the user as registered once the policy's number of methods is verified.
    pub fn update_registration(&mut self, user: UserId) {
        let now = self.now();
        let required = usize::from(self.seed.policy.methods_required);
        let u = &mut self.users[user];
        let verified = u.phones.iter().filter(|p| p.verified).count().min(1)
            + u.emails
                .iter()
                .filter(|e| e.verified && e.role == EmailRole::Secondary)
                .count()
                .min(1);
        if verified >= required {
            u.registered = Some(now);
        }
    }
}

impl User {
    fn from_seed(seed: &UserSeed) -> User {
        let phones = seed
            .phones
            .iter()
            .map(|p| Phone {
                id: random::okta_id("sms"),
                number: p.number.clone(),
                kind: p.kind,
                verified: true,
                challenge: None,
            })
            .collect();
        let mut emails = vec![Email {
            id: random::okta_id("eml"),
            address: seed.username.clone(),
            role: EmailRole::Primary,
            verified: true,
            challenge: None,
        }];
        emails.extend(seed.emails.iter().map(|address| Email {
            id: random::okta_id("eml"),
            address: address.clone(),
            role: EmailRole::Secondary,
            verified: true,
            challenge: None,
        }));
        User {
            okta_id: random::okta_id("00u"),
            object_id: random::guid(),
            username: seed.username.clone(),
            display_name: seed.display_name.clone(),
            given_name: seed.given_name.clone(),
            family_name: seed.family_name.clone(),
            password: PasswordHash::of(&seed.username, &seed.password),
            history: Vec::new(),
            groups: seed.groups.clone(),
            password_changed: seed.password_changed,
            password_never_expires: seed.password_never_expires,
            registered: seed.registered,
            phones,
            emails,
            question: seed
                .recovery_question
                .as_ref()
                .map(|q| (q.question.clone(), q.answer.clone())),
        }
    }

    pub fn password_matches(&self, password: &str) -> bool {
        PasswordHash::of(&self.username, password) == self.password
    }

    /// Sets a new password, keeping the old one in the history.
    pub fn set_password(&mut self, password: &str, now: DateTime<Utc>, keep: usize) {
        let old = std::mem::replace(
            &mut self.password,
            PasswordHash::of(&self.username, password),
        );
        self.history.insert(0, old);
        self.history.truncate(keep.max(1));
        self.password_changed = now;
    }

    /// Current and earlier passwords, the ones a new password may not repeat.
    pub fn recent_passwords(&self) -> Vec<PasswordHash> {
        std::iter::once(self.password.clone())
            .chain(self.history.iter().cloned())
            .collect()
    }

    pub fn verified_phone(&self) -> Option<&Phone> {
        self.phones.iter().find(|p| p.verified)
    }

    pub fn recovery_email(&self) -> Option<&Email> {
        self.emails
            .iter()
            .find(|e| e.verified && e.role == EmailRole::Secondary)
            .or_else(|| self.emails.iter().find(|e| e.verified))
    }
}

/// Digits read one by one, as a voice call would.
fn spaced(code: &str) -> String {
    code.chars().map(String::from).collect::<Vec<_>>().join(" ")
}
