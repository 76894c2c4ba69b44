//! The rules serde cannot express: lengths, formats, what each provider kind needs. Each
//! returns the dotted key and the reason, which the parser turns into a line number.

use url::Url;

use super::{AppSettings, Config, Helpdesk, ProviderConfig, ProviderKind, SandboxFlavour};

/// A rule broken: the dotted key and why.
type Broken = (String, String);

fn fail(key: &str, reason: &str) -> Result<(), Broken> {
    Err((key.to_owned(), reason.to_owned()))
}

impl Config {
    pub(super) fn validate(&self) -> Result<(), Broken> {
        let name = self.organisation.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return fail("organisation.name", "must be 1 to 80 characters");
        }
        if let Some(color) = &self.organisation.accent_color {
            if !is_hex_color(color) {
                return fail("organisation.accent_color", "must look like #1a2b3c");
            }
        }
        self.helpdesk.validate()?;
        self.provider.validate()?;
        self.app.validate()?;
        if !(1..=60).contains(&self.security.reauth_minutes) {
            return fail("security.reauth_minutes", "must be between 1 and 60");
        }
        self.policy
            .validate()
            .or_else(|v| fail(&format!("policy.{}", v.key), &v.reason))
    }
}

impl ProviderConfig {
    fn validate(&self) -> Result<(), Broken> {
        // Below 1024 a user's process cannot listen on Linux or macOS.
        if self.redirect_port.is_some_and(|p| p < 1024) {
            return fail("provider.redirect_port", "must be between 1024 and 65535");
        }
        match self.kind {
            ProviderKind::Okta => match &self.issuer {
                None => return fail("provider.issuer", "is required for kind = \"okta\""),
                Some(issuer) => check_issuer(issuer).or_else(|r| fail("provider.issuer", &r))?,
            },
            ProviderKind::Entra => self.validate_entra()?,
            // A sandbox runs embedded (demo builds), or at a loopback issuer the tests started.
            ProviderKind::Sandbox => {
                if let Some(issuer) = &self.issuer {
                    check_issuer(issuer).or_else(|r| fail("provider.issuer", &r))?;
                }
            }
        }
        if self.kind != ProviderKind::Sandbox && self.flavour != SandboxFlavour::Okta {
            return fail("provider.flavour", "applies only to kind = \"sandbox\"");
        }
        if self.kind != ProviderKind::Sandbox {
            match &self.client_id {
                Some(id) if !id.trim().is_empty() && id.len() <= 200 => {}
                _ => return fail("provider.client_id", "is required (1 to 200 characters)"),
            }
        }
        Ok(())
    }

    fn validate_entra(&self) -> Result<(), Broken> {
        match &self.tenant {
            None => fail("provider.tenant", "is required for kind = \"entra\""),
            Some(tenant) if !is_tenant(tenant) => fail(
                "provider.tenant",
                "must be a tenant id, a domain name or \"organizations\"",
            ),
            Some(_) => {
                for (key, value) in [
                    ("provider.authority_host", &self.authority_host),
                    ("provider.graph_endpoint", &self.graph_endpoint),
                    ("provider.security_info_url", &self.security_info_url),
                    ("provider.reset_portal_url", &self.reset_portal_url),
                ] {
                    if let Some(url) = value {
                        check_issuer(url).or_else(|r| fail(key, &r))?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl AppSettings {
    fn validate(&self) -> Result<(), Broken> {
        if !(30..=1800).contains(&self.sign_in_timeout_seconds) {
            return fail("app.sign_in_timeout_seconds", "must be between 30 and 1800");
        }
        if self.expiry_reminder_days > 90 {
            return fail("app.expiry_reminder_days", "must be between 0 and 90");
        }
        if let Some(domain) = &self.username_domain {
            if !domain.contains('.') || !is_tenant(domain) {
                return fail(
                    "app.username_domain",
                    "must be a domain name like contoso.com",
                );
            }
        }
        Ok(())
    }
}

impl Helpdesk {
    pub(super) fn validate(&self) -> Result<(), (String, String)> {
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
}

pub(super) fn check_issuer(issuer: &str) -> Result<(), String> {
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

pub(super) fn is_tenant(s: &str) -> bool {
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
