//! The managed configuration IT deploys: who the organisation is, how to reach the helpdesk,
//! which identity provider to use, and the SSPR policy.
//!
//! A bad file must never leave the user with nothing: errors name the key and the line, and
//! [`Helpdesk::salvage`] recovers the helpdesk contact from a file that is otherwise invalid.

mod error;
mod source;
mod validate;

pub use error::ConfigError;

use std::path::Path;

use serde::Deserialize;

use source::{key_at, key_span, line_of, read_bounded};

use crate::locale::LanguageSetting;
use crate::policy::Policy;

/// Where IT puts the configuration on Linux.
pub const SYSTEM_CONFIG_PATH: &str = "/etc/latchkey/config.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organisation: Organisation,
    #[serde(default)]
    pub helpdesk: Helpdesk,
    pub provider: ProviderConfig,
    #[serde(default)]
    pub app: AppSettings,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub security: Security,
}

/// What an account change needs beyond a signed-in session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// How recent an interactive sign-in must be before adding or removing a recovery method or
    /// changing the password (T47): a kept sign-in on an unlocked laptop proves nothing about
    /// who is at it. Microsoft asks for the same on its own security info page (10 minutes).
    #[serde(default = "default_reauth_minutes")]
    pub reauth_minutes: u16,
}

fn default_reauth_minutes() -> u16 {
    10
}

impl Default for Security {
    fn default() -> Self {
        Security {
            reauth_minutes: default_reauth_minutes(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    /// Branding colour, `#rrggbb`.
    #[serde(default)]
    pub accent_color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Helpdesk {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Okta,
    Entra,
    /// The local emulator of the providers' APIs, for demos and tests.
    Sandbox,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// OpenID issuer (Okta authorization server). Entra derives it from `tenant`.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Entra tenant: a tenant id, a verified domain, or `organizations`.
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    /// A fixed loopback port for the sign-in redirect, for providers that accept only the exact
    /// registered redirect URI (`http://127.0.0.1:<port>/callback`); an ephemeral port
    /// otherwise, as RFC 8252 §7.3 recommends.
    #[serde(default)]
    pub redirect_port: Option<u16>,
    /// Entra: the Microsoft identity platform's host, for national clouds (and the sandbox).
    #[serde(default)]
    pub authority_host: Option<String>,
    /// Entra: Microsoft Graph's v1.0 root, for national clouds (and the sandbox).
    #[serde(default)]
    pub graph_endpoint: Option<String>,
    /// Entra: My Sign-ins' security info page, where users add methods Graph cannot.
    #[serde(default)]
    pub security_info_url: Option<String>,
    /// Entra: the SSPR portal "Forgot password" hands over to.
    #[serde(default)]
    pub reset_portal_url: Option<String>,
    /// Sandbox: which vendor the embedded tenant plays.
    #[serde(default)]
    pub flavour: SandboxFlavour,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SandboxFlavour {
    #[default]
    Okta,
    Entra,
}

/// Where a running sandbox tenant answers.
#[derive(Debug, Clone)]
pub struct SandboxEndpoints {
    pub base_url: String,
    pub okta_issuer: String,
    pub client_id: String,
    /// The tenant's verified domain, the Entra flavour's authority.
    pub domain: String,
}

/// Microsoft's public endpoints, used unless the configuration names others.
pub const ENTRA_AUTHORITY_HOST: &str = "https://login.microsoftonline.com";
pub const ENTRA_GRAPH_V1: &str = "https://graph.microsoft.com/v1.0/";
pub const ENTRA_SECURITY_INFO: &str = "https://mysignins.microsoft.com/security-info";
pub const ENTRA_RESET_PORTAL: &str = "https://passwordreset.microsoftonline.com/";

impl ProviderConfig {
    /// The Microsoft identity platform v2.0 authority: `{host}/{tenant}/v2.0`.
    pub fn entra_authority(&self) -> Option<String> {
        let host = self
            .authority_host
            .as_deref()
            .unwrap_or(ENTRA_AUTHORITY_HOST);
        let tenant = self.tenant.as_deref()?;
        Some(format!("{}/{tenant}/v2.0", host.trim_end_matches('/')))
    }

    pub fn graph_v1(&self) -> &str {
        self.graph_endpoint.as_deref().unwrap_or(ENTRA_GRAPH_V1)
    }

    pub fn security_info_url(&self) -> &str {
        self.security_info_url
            .as_deref()
            .unwrap_or(ENTRA_SECURITY_INFO)
    }

    pub fn reset_portal_url(&self) -> &str {
        self.reset_portal_url
            .as_deref()
            .unwrap_or(ENTRA_RESET_PORTAL)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSettings {
    #[serde(default)]
    pub language: LanguageSetting,
    /// Whether the refresh token may be kept in the OS credential store between runs.
    #[serde(default)]
    pub keep_refresh_token: bool,
    /// How long to wait for the browser sign-in before giving up.
    #[serde(default = "default_sign_in_timeout")]
    pub sign_in_timeout_seconds: u32,
    /// Days before expiry when the change-password reminder starts.
    #[serde(default = "default_reminder_days")]
    pub expiry_reminder_days: u16,
    /// The domain of users' usernames, e.g. `contoso.com`: "Forgot password" then suggests the
    /// OS account name at that domain.
    #[serde(default)]
    pub username_domain: Option<String>,
    /// How much the log says (`info` by default): `debug` for a helpdesk chasing a problem.
    #[serde(default)]
    pub log_level: LogLevel,
}

/// The log's verbosity. Whatever the level, no secret is ever logged (DESIGN.md, Privacy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    #[default]
    Info,
    Debug,
}

fn default_sign_in_timeout() -> u32 {
    300
}

fn default_reminder_days() -> u16 {
    14
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            language: LanguageSetting::default(),
            keep_refresh_token: false,
            sign_in_timeout_seconds: default_sign_in_timeout(),
            expiry_reminder_days: default_reminder_days(),
            username_domain: None,
            log_level: LogLevel::default(),
        }
    }
}

impl Config {
    /// Whether this configuration asks for the sandbox tenant built into demo builds.
    pub fn wants_embedded_sandbox(&self) -> bool {
        self.provider.kind == ProviderKind::Sandbox && self.provider.issuer.is_none()
    }

    /// Points a sandbox configuration at the running embedded tenant. The Entra flavour becomes
    /// an Entra configuration whose Microsoft endpoints are the tenant's.
    pub fn attach_sandbox(&mut self, tenant: SandboxEndpoints) {
        if !self.wants_embedded_sandbox() {
            return;
        }
        let provider = &mut self.provider;
        provider.client_id = Some(tenant.client_id);
        match provider.flavour {
            SandboxFlavour::Okta => provider.issuer = Some(tenant.okta_issuer),
            SandboxFlavour::Entra => {
                let base = tenant.base_url;
                provider.kind = ProviderKind::Entra;
                provider.tenant = Some(tenant.domain);
                provider.graph_endpoint = Some(format!("{base}/v1.0/"));
                provider.security_info_url = Some(format!("{base}/mysignins/security-info"));
                provider.reset_portal_url = Some(format!("{base}/passwordreset/"));
                provider.authority_host = Some(base);
            }
        }
    }

    /// The username "Forgot password" suggests: the OS account name at `app.username_domain`,
    /// when both exist and the name could be a username.
    pub fn username_hint(&self, os_user: Option<&str>) -> Option<String> {
        let domain = self.app.username_domain.as_deref()?;
        let user = os_user?.trim();
        let plausible = !user.is_empty()
            && user != "root"
            && user
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
        plausible.then(|| format!("{}@{domain}", user.to_lowercase()))
    }

    /// Reads and validates the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let raw = read_bounded(path)?;
        Config::parse(&raw, path)
    }

    /// Like [`Config::load`], and on failure the helpdesk contact salvaged from the file.
    pub fn load_or_salvage(path: &Path) -> (Result<Config, ConfigError>, Option<Helpdesk>) {
        match read_bounded(path) {
            Err(e) => (Err(e), None),
            Ok(raw) => match Config::parse(&raw, path) {
                Ok(config) => (Ok(config), None),
                Err(e) => (Err(e), Helpdesk::salvage(&raw)),
            },
        }
    }

    /// Parses and validates `raw`; `path` is only used in messages.
    pub fn parse(raw: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid =
            |key: Option<String>, line: Option<usize>, reason: String| ConfigError::Invalid {
                path: path.to_owned(),
                key,
                line,
                reason,
            };
        let config: Config = toml::from_str(raw).map_err(|e| {
            let span = e.span();
            let key = span.clone().and_then(|s| key_at(raw, s.start));
            let line = span.map(|s| line_of(raw, s.start));
            invalid(key, line, e.message().trim().to_owned())
        })?;
        config.validate().map_err(|(key, reason)| {
            let line = key_span(raw, &key).map(|s| line_of(raw, s.start));
            invalid(Some(key), line, reason)
        })?;
        Ok(config)
    }
}

impl Helpdesk {
    /// The helpdesk contact from a file that failed validation, so the error screen can still
    /// tell the user whom to call. Only fields that are themselves valid are kept.
    pub fn salvage(raw: &str) -> Option<Helpdesk> {
        let table: toml::Table = toml::from_str(raw).ok()?;
        let section = table.get("helpdesk")?.as_table()?;
        let field = |k: &str| section.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let mut salvaged = Helpdesk {
            phone: field("phone"),
            email: field("email"),
            hours: field("hours"),
            url: field("url"),
        };
        // `validate` names the first bad field: drop it and check the rest again.
        while let Err((key, _)) = salvaged.validate() {
            match key.as_str() {
                "helpdesk.phone" => salvaged.phone = None,
                "helpdesk.email" => salvaged.email = None,
                "helpdesk.hours" => salvaged.hours = None,
                _ => salvaged.url = None,
            }
        }
        (salvaged != Helpdesk::default()).then_some(salvaged)
    }
}

#[cfg(test)]
mod tests;
