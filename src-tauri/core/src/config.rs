//! The managed configuration IT deploys: who the organisation is, how to reach the helpdesk,
//! which identity provider to use, and the SSPR policy.
//!
//! A bad file must never leave the user with nothing: errors name the key and the line, and
//! [`Helpdesk::salvage`] recovers the helpdesk contact from a file that is otherwise invalid.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;
use toml::de::{DeTable, DeValue};
use url::Url;

use crate::codes::ErrorCode;
use crate::locale::LanguageSetting;
use crate::policy::Policy;

/// Where IT puts the configuration on Linux.
pub const SYSTEM_CONFIG_PATH: &str = "/etc/latchkey/config.toml";

/// Files larger than this are refused before parsing: a configuration is a few hundred bytes.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

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
        }
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("no configuration file at {}", path.display())]
    Missing { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{}{}: {reason}", path.display(), line.map(|l| format!(": line {l}")).unwrap_or_default(), key.as_ref().map(|k| format!(": key `{k}`")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        /// Dotted path of the offending key, where it could be told.
        key: Option<String>,
        /// 1-based line number in the file.
        line: Option<usize>,
        reason: String,
    },
}

impl ConfigError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ConfigError::Missing { .. } => ErrorCode::ConfigMissing,
            ConfigError::Unreadable { .. } => ErrorCode::ConfigUnreadable,
            ConfigError::Invalid { .. } => ErrorCode::ConfigInvalid,
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

    /// Rules serde cannot express; returns the dotted key and the reason.
    fn validate(&self) -> Result<(), (String, String)> {
        let fail = |key: &str, reason: &str| Err((key.to_owned(), reason.to_owned()));
        let name = self.organisation.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return fail("organisation.name", "must be 1 to 80 characters");
        }
        if let Some(color) = &self.organisation.accent_color {
            if !is_hex_color(color) {
                return fail("organisation.accent_color", "must look like #1a2b3c");
            }
        }
        self.helpdesk.validate().or_else(|(k, r)| fail(&k, &r))?;
        let provider = &self.provider;
        match provider.kind {
            ProviderKind::Okta => match &provider.issuer {
                None => return fail("provider.issuer", "is required for kind = \"okta\""),
                Some(issuer) => check_issuer(issuer).or_else(|r| fail("provider.issuer", &r))?,
            },
            ProviderKind::Entra => match &provider.tenant {
                None => return fail("provider.tenant", "is required for kind = \"entra\""),
                Some(tenant) if !is_tenant(tenant) => {
                    return fail(
                        "provider.tenant",
                        "must be a tenant id, a domain name or \"organizations\"",
                    )
                }
                Some(_) => {
                    for (key, value) in [
                        ("provider.authority_host", &provider.authority_host),
                        ("provider.graph_endpoint", &provider.graph_endpoint),
                        ("provider.security_info_url", &provider.security_info_url),
                        ("provider.reset_portal_url", &provider.reset_portal_url),
                    ] {
                        if let Some(url) = value {
                            check_issuer(url).or_else(|r| fail(key, &r))?;
                        }
                    }
                }
            },
            // A sandbox runs embedded (demo builds), or at a loopback issuer the tests started.
            ProviderKind::Sandbox => {
                if let Some(issuer) = &provider.issuer {
                    check_issuer(issuer).or_else(|r| fail("provider.issuer", &r))?;
                }
            }
        }
        if provider.kind != ProviderKind::Sandbox && provider.flavour != SandboxFlavour::Okta {
            return fail("provider.flavour", "applies only to kind = \"sandbox\"");
        }
        if provider.kind != ProviderKind::Sandbox {
            match &provider.client_id {
                Some(id) if !id.trim().is_empty() && id.len() <= 200 => {}
                _ => return fail("provider.client_id", "is required (1 to 200 characters)"),
            }
        }
        if !(30..=1800).contains(&self.app.sign_in_timeout_seconds) {
            return fail("app.sign_in_timeout_seconds", "must be between 30 and 1800");
        }
        if self.app.expiry_reminder_days > 90 {
            return fail("app.expiry_reminder_days", "must be between 0 and 90");
        }
        if let Some(domain) = &self.app.username_domain {
            if !domain.contains('.') || !is_tenant(domain) {
                return fail(
                    "app.username_domain",
                    "must be a domain name like contoso.com",
                );
            }
        }
        self.policy
            .validate()
            .or_else(|v| fail(&format!("policy.{}", v.key), &v.reason))
    }
}

impl Helpdesk {
    fn validate(&self) -> Result<(), (String, String)> {
        let fail = |key: &str, reason: &str| Err((key.to_owned(), reason.to_owned()));
        if let Some(email) = &self.email {
            let mut parts = email.split('@');
            let well_formed = matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !d.starts_with('.')
            );
            if !well_formed || email.len() > 254 {
                return fail("helpdesk.email", "must be an e-mail address");
            }
        }
        if let Some(url) = &self.url {
            match Url::parse(url) {
                Ok(u) if u.scheme() == "https" => {}
                _ => return fail("helpdesk.url", "must be an https:// address"),
            }
        }
        for (key, value) in [
            ("helpdesk.phone", &self.phone),
            ("helpdesk.hours", &self.hours),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 120) {
                return fail(key, "must be at most 120 characters");
            }
        }
        Ok(())
    }

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

/// Reads the file as UTF-8, refusing oversize ones.
fn read_bounded(path: &Path) -> Result<String, ConfigError> {
    let unreadable = |source| ConfigError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing {
                path: path.to_owned(),
            })
        }
        other => other.map_err(unreadable)?,
    };
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::Invalid {
            path: path.to_owned(),
            key: None,
            line: None,
            reason: format!("file is larger than {MAX_CONFIG_BYTES} bytes"),
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        ConfigError::Invalid {
            path: path.to_owned(),
            key: None,
            line: Some(line_of(valid, at)),
            reason: "file is not valid UTF-8".to_owned(),
        }
    })
}

fn check_issuer(issuer: &str) -> Result<(), String> {
    let url = Url::parse(issuer).map_err(|e| format!("is not a URL ({e})"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    // RFC 8414/OpenID: the issuer is https, except a loopback test provider.
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err("must be an https:// address".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or a fragment".to_owned());
    }
    Ok(())
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn is_tenant(s: &str) -> bool {
    let guid = s.len() == 36
        && s.chars().enumerate().all(|(i, c)| {
            matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
        });
    let domain = s.contains('.')
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    guid || domain || s == "organizations"
}

fn line_of(raw: &str, offset: usize) -> usize {
    raw.as_bytes()[..offset.min(raw.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The span of the value (or key) at a dotted path, for error messages.
fn key_span(raw: &str, dotted: &str) -> Option<Range<usize>> {
    let doc = DeTable::parse(raw).ok()?;
    let mut table = doc.get_ref();
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == part)?;
        match (parts.peek(), value.get_ref()) {
            (None, _) => return Some(key.span()),
            (Some(_), DeValue::Table(inner)) => table = inner,
            _ => return Some(key.span()),
        }
    }
    None
}

/// The dotted key whose entry contains `offset`, the innermost one. A table's own span covers
/// only its header, so every table is searched.
fn key_at(raw: &str, offset: usize) -> Option<String> {
    fn search(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        for (key, value) in table.iter() {
            path.push(key.get_ref().to_string());
            if let DeValue::Table(inner) = value.get_ref() {
                if search(inner, offset, path) {
                    return true;
                }
            }
            let span = value.span();
            if key.span().contains(&offset) || span.contains(&offset) || span.end == offset {
                return true;
            }
            path.pop();
        }
        false
    }
    let doc = DeTable::parse(raw).ok()?;
    let mut path = Vec::new();
    search(doc.get_ref(), offset, &mut path).then(|| path.join("."))
}

#[cfg(test)]
mod tests;
