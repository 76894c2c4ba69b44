//! What crosses to the UI. Every type here is exported to TypeScript (`ui/src/bindings.ts`);
//! nothing sensitive is ever part of it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::ErrorCode;
use crate::config::{Config, ConfigError, Helpdesk};
use crate::error::CoreError;
use crate::locale::Language;
use crate::policy::Method;
use crate::providers::reason::ProviderReason;

/// Everything the first screen needs, in one call.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Bootstrap {
    pub version: String,
    pub language: Language,
    pub config_path: String,
    pub organisation: Option<Branding>,
    pub helpdesk: Option<HelpdeskContact>,
    /// Methods the organisation accepts for reset, in its order.
    pub methods_allowed: Vec<Method>,
    pub methods_required: u8,
    /// The username "Forgot password" starts with, when the configuration can tell.
    pub username_hint: Option<String>,
    /// Where the window opens (`--forgot-password`, `--onboarding`, a `latchkey://` link).
    pub entry: crate::launch::Entry,
    /// The provider's reset page and its QR code, for the offline screen.
    pub reset_page: Option<ResetPage>,
    /// Whether onboarding may be postponed ("Remind me later") or not.
    pub registration_required: bool,
    /// Entra: "Forgot password" hands over to Microsoft's SSPR portal instead of resetting here.
    pub reset_in_portal: bool,
    /// Entra: changing the password and its expiry reminder work in the app (Graph).
    pub password_change: bool,
    /// What the configured provider offers; `None` when the configuration could not be used.
    pub capabilities: Option<Capabilities>,
    pub config_problem: Option<ConfigProblem>,
    /// Set when the app runs against the built-in sandbox tenant.
    pub demo: Option<DemoTenant>,
}

/// Where the user does something: in the app, on the provider's own page, or nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    InApp,
    Handoff,
    Unavailable,
}

/// What a provider offers its users, as data: the journeys and the UI ask this rather than
/// which vendor it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Adding a phone or an e-mail: in the app (confirmed by code) or on the provider's page.
    pub add_methods: Where,
    /// "Forgot password": in the app, or a hand-off to the provider's portal.
    pub reset: Where,
    pub change_password: bool,
    /// Whether the provider can tell when the password expires.
    pub expiry: bool,
    pub unlock: bool,
    /// The method types the provider lists for the user.
    pub lists: Vec<MethodKind>,
}

/// What the UI shows about the sandbox tenant in demo mode: where its outbox is and who can
/// sign in. Demo data only; never a real tenant's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoTenant {
    pub outbox_url: String,
    pub users: Vec<DemoUser>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    pub username: String,
    pub display_name: String,
    /// Whether the user has recovery methods registered already.
    pub registered: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    pub name: String,
    pub accent_color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskContact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
    pub url: Option<String>,
}

/// Why the configuration could not be used, with where to look in the file.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigProblem {
    pub code: ErrorCode,
    pub message_key: String,
    pub path: String,
    pub key: Option<String>,
    pub line: Option<u32>,
    /// The parser's own words (English, technical): shown as a detail for IT.
    pub detail: String,
}

/// The outcome of a sign-in the UI may show: a display name, never a token or an address.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    pub display_name: String,
    /// The OS credential store could not keep the sign-in: tell the user once.
    pub session_only: bool,
}

/// A sign-in waiting for the browser: the URL to copy, and whether the browser opened.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInStatus {
    pub authorize_url: Option<String>,
    pub browser_opened: bool,
}

/// How the user proves who they are in a reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResetFactor {
    Sms,
    Call,
    Email,
}

/// The step of a reset the UI shows next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ResetView {
    /// Enter the code sent by `factor`; a new one may be asked for after the countdown.
    Code {
        factor: ResetFactor,
        #[serde(rename = "resendAfterSeconds")]
        resend_after_seconds: u32,
    },
    /// Answer the recovery question (the provider's text, plain).
    Question {
        question: String,
    },
    /// Choose the new password; the provider's rules, for live hints.
    NewPassword {
        hints: PasswordHints,
    },
    Done,
}

/// The provider's password rules, as the new-password screen shows them while typing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordHints {
    pub min_length: u32,
    pub needs_lower: bool,
    pub needs_upper: bool,
    pub needs_number: bool,
    pub needs_symbol: bool,
    /// Lower-case parts of the username the password may not contain.
    pub username_parts: Vec<String>,
    /// How many earlier passwords may not be reused (0: none).
    pub history: u32,
    /// The longest password accepted, in code points (0: no limit told).
    pub max_length: u32,
    /// How many of the four classes (lower, upper, digit, symbol) are needed (0: see `needs_*`).
    pub min_classes: u32,
    /// Only printable ASCII is accepted (Entra): accents and emoji are refused.
    pub ascii_only: bool,
}

/// The provider's self-service reset page, for a phone when this computer is offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResetPage {
    pub url: String,
    /// SVG markup made by the core from `url`; nothing from outside goes into it.
    pub qr_svg: String,
}

/// How a phone receives its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Sms,
    Call,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    Phone,
    Email,
}

/// A confirmed recovery method, masked: the full number or address never reaches the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredMethod {
    /// The provider's id of the method, to remove it; not personal data.
    pub id: String,
    pub kind: MethodKind,
    pub masked: String,
}

/// A method added and waiting for the code sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingMethod {
    pub kind: MethodKind,
    pub masked: String,
    pub delivery: Option<Delivery>,
    pub resend_after_seconds: u32,
}

/// The onboarding summary: what the organisation requires and what is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationView {
    /// How many different methods the policy requires.
    pub required: u8,
    pub complete: bool,
    /// The policy's reconfirmation period has passed: ask "Is this still correct?".
    pub reconfirm_due: bool,
    pub methods: Vec<RegisteredMethod>,
    pub pending: Option<PendingMethod>,
    /// Entra: methods are added on Microsoft's security info page, at this address, because
    /// Graph does not let users add them for themselves.
    pub handoff: Option<String>,
}

/// Entra's SSPR portal as opened for the user: the address, to copy when no browser opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortalHandoff {
    pub url: String,
    pub browser_opened: bool,
}

/// When the signed-in user's password expires, as the provider counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordExpiry {
    pub state: ExpiryState,
    /// `YYYY-MM-DD`, when `state` is `expires`.
    pub expires_on: Option<String>,
    /// Whole days left (0 on the day, negative once expired).
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// Inside the reminder window: say so and offer to change it now.
    pub remind: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryState {
    Expires,
    /// "Never expires" for this user or their domain.
    Never,
    /// The provider did not say (no permission to read the domain, or no date).
    Unknown,
}

/// An error as the UI receives it from any command.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message_key: String,
    /// For `rate_limited`: how long to wait before trying again.
    pub retry_after_seconds: Option<u64>,
    /// Plain-text details shown as they are: a permission to grant, a request id, a sign-in
    /// error code.
    pub details: Vec<String>,
    /// For `password_rejected`: each reason the provider gave, in the user's language
    /// (`reason.*` keys) with the provider's own text as its detail. Absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ProviderReason>>")]
    pub reasons: Vec<ProviderReason>,
    /// The support reference of the journey under way (`LK-7F3K-Q2`), for the helpdesk: the
    /// log lines of that journey carry it. Absent before any journey started.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference: Option<String>,
}

impl From<&CoreError> for IpcError {
    fn from(e: &CoreError) -> Self {
        let code = e.code();
        let (retry_after_seconds, details, reasons) = match e {
            CoreError::Provider(p) => (p.retry_after(), p.details(), p.reasons()),
            CoreError::Auth(a) => (None, a.details(), Vec::new()),
            _ => (None, Vec::new(), Vec::new()),
        };
        IpcError {
            code,
            message_key: code.message_key().to_owned(),
            retry_after_seconds,
            details,
            reasons,
            reference: crate::support::active().map(|r| r.to_string()),
        }
    }
}

impl From<Helpdesk> for HelpdeskContact {
    fn from(h: Helpdesk) -> Self {
        HelpdeskContact {
            phone: h.phone,
            email: h.email,
            hours: h.hours,
            url: h.url,
        }
    }
}

impl From<&ConfigError> for ConfigProblem {
    fn from(e: &ConfigError) -> Self {
        let code = e.code();
        let (path, key, line, detail) = match e {
            ConfigError::Missing { path } => (path, None, None, e.to_string()),
            ConfigError::Unreadable { path, source } => (path, None, None, source.to_string()),
            ConfigError::Invalid {
                path,
                key,
                line,
                reason,
            } => (path, key.clone(), *line, reason.clone()),
        };
        ConfigProblem {
            code,
            message_key: code.message_key().to_owned(),
            path: path.display().to_string(),
            key,
            line: line.and_then(|l| u32::try_from(l).ok()),
            detail,
        }
    }
}

/// The OS account name of the person using the app.
fn os_user() -> Option<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
}

impl Bootstrap {
    /// The first screen's data from a loaded configuration or the reason it failed.
    /// `salvaged` is the helpdesk contact recovered from an invalid file, if any.
    pub fn new(
        config_path: &std::path::Path,
        loaded: &Result<Config, ConfigError>,
        salvaged: Option<Helpdesk>,
        language: Language,
        capabilities: Option<Capabilities>,
    ) -> Bootstrap {
        let version = env!("CARGO_PKG_VERSION").to_owned();
        let config_path = config_path.display().to_string();
        match loaded {
            Ok(config) => Bootstrap {
                version,
                language,
                config_path,
                organisation: Some(Branding {
                    name: config.organisation.name.clone(),
                    accent_color: config.organisation.accent_color.clone(),
                }),
                helpdesk: Some(config.helpdesk.clone().into()),
                methods_allowed: config.policy.methods_allowed.clone(),
                methods_required: config.policy.methods_required,
                registration_required: config.policy.registration_required,
                reset_in_portal: capabilities
                    .as_ref()
                    .is_some_and(|c| c.reset == Where::Handoff),
                password_change: capabilities.as_ref().is_some_and(|c| c.change_password),
                capabilities,
                username_hint: config.username_hint(os_user().as_deref()),
                reset_page: None,
                entry: crate::launch::Entry::Home,
                config_problem: None,
                demo: None,
            },
            Err(e) => Bootstrap {
                version,
                language,
                config_path,
                organisation: None,
                helpdesk: salvaged.map(Into::into),
                methods_allowed: Vec::new(),
                methods_required: 0,
                registration_required: false,
                reset_in_portal: false,
                password_change: false,
                capabilities: None,
                username_hint: None,
                reset_page: None,
                entry: crate::launch::Entry::Home,
                config_problem: Some(e.into()),
                demo: None,
            },
        }
    }
}

/// The TypeScript declarations of every type the UI receives, as `ui/src/bindings.ts` holds them.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::new();
    let decls = [
        Bootstrap::decl(&cfg),
        Branding::decl(&cfg),
        Capabilities::decl(&cfg),
        Where::decl(&cfg),
        HelpdeskContact::decl(&cfg),
        ConfigProblem::decl(&cfg),
        DemoTenant::decl(&cfg),
        DemoUser::decl(&cfg),
        ResetFactor::decl(&cfg),
        ResetView::decl(&cfg),
        PasswordHints::decl(&cfg),
        Delivery::decl(&cfg),
        MethodKind::decl(&cfg),
        RegisteredMethod::decl(&cfg),
        PendingMethod::decl(&cfg),
        RegistrationView::decl(&cfg),
        PasswordExpiry::decl(&cfg),
        PortalHandoff::decl(&cfg),
        ExpiryState::decl(&cfg),
        ResetPage::decl(&cfg),
        crate::launch::Entry::decl(&cfg),
        crate::net::Reachability::decl(&cfg),
        SignedIn::decl(&cfg),
        SignInStatus::decl(&cfg),
        IpcError::decl(&cfg),
        ProviderReason::decl(&cfg),
        crate::providers::reason::Reason::decl(&cfg),
        ErrorCode::decl(&cfg),
        crate::codes::NextStep::decl(&cfg),
        Language::decl(&cfg),
        Method::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in src-tauri/core by `UPDATE_BINDINGS=1 cargo test -p latchkey-core bindings`.\n// Do not edit by hand: a test fails when this file is stale.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&crate::codes::typescript_table());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_refused_password_reaches_the_ui_as_reasons_with_the_providers_words() {
        use crate::providers::ProviderError;
        // myaccount.json, Invalid-Password-400's cause.
        let refused = CoreError::Provider(ProviderError::PasswordRejected {
            reasons: vec!["password: Password requirements were not met. Password requirements: at least 8 characters, a number. Your password cannot be any of your last 4 password(s).".into()],
        });
        let json = serde_json::to_value(IpcError::from(&refused)).expect("json");
        assert_eq!(json["details"], serde_json::json!([]));
        assert_eq!(json["reasons"][0]["messageKey"], "reason.min_length");
        assert_eq!(json["reasons"][0]["count"], 8);
        assert_eq!(json["reasons"][0]["detail"], "at least 8 characters");
        assert_eq!(json["reasons"][2]["reason"], "history");
        let wrong = CoreError::Provider(ProviderError::WrongCode);
        let json = serde_json::to_value(IpcError::from(&wrong)).expect("json");
        assert!(json.get("reasons").is_none(), "absent when there are none");
    }

    fn bindings_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings.ts")
    }

    #[test]
    fn bindings_are_fresh() {
        let expected = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(bindings_path(), &expected).expect("write bindings");
        }
        let committed = std::fs::read_to_string(bindings_path()).unwrap_or_default();
        assert!(
            committed == expected,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p latchkey-core bindings` and commit it"
        );
    }

    #[test]
    fn config_problem_keeps_key_and_line() {
        let e = ConfigError::Invalid {
            path: PathBuf::from("/etc/latchkey/config.toml"),
            key: Some("provider.issuer".into()),
            line: Some(7),
            reason: "must be an https:// address".into(),
        };
        let p = ConfigProblem::from(&e);
        assert_eq!(p.code, ErrorCode::ConfigInvalid);
        assert_eq!(p.message_key, "error.config_invalid");
        assert_eq!(p.key.as_deref(), Some("provider.issuer"));
        assert_eq!(p.line, Some(7));
    }
}
