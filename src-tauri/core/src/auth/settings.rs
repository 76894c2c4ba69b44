//! Which provider to sign in to, and how, from the managed configuration.

use std::time::Duration;

use super::{AuthError, Platform, SignInSettings};
use crate::config::Config;
use crate::locale::Language;

/// How to sign in to a provider, as the provider states it: its OpenID issuer, the scopes its
/// APIs need (besides `openid`, `profile` and `email`), and the platform's documented
/// differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInTarget {
    pub issuer: String,
    pub scopes: Vec<String>,
    pub platform: Platform,
    /// Whether `offline_access` is always needed (Entra's one silent refresh), not only when
    /// IT lets the app keep the refresh token.
    pub always_offline: bool,
}

/// The OpenID issuer and the sign-in settings: the provider's target with the managed
/// configuration's client and timeout. `None` target: nothing to sign in to (a sandbox that
/// is not running).
pub fn sign_in_settings(
    config: &Config,
    target: Option<SignInTarget>,
    language: Language,
) -> Result<(String, SignInSettings), AuthError> {
    let target = target.ok_or(AuthError::NotAvailable)?;
    let client_id = config
        .provider
        .client_id
        .clone()
        .ok_or(AuthError::NotAvailable)?;
    let mut scopes = vec!["profile".to_owned(), "email".to_owned()];
    if target.always_offline || config.app.keep_refresh_token {
        scopes.push("offline_access".to_owned());
    }
    scopes.extend(target.scopes);
    Ok((
        target.issuer,
        SignInSettings {
            client_id,
            scopes,
            timeout: Duration::from_secs(u64::from(config.app.sign_in_timeout_seconds)),
            redirect_port: config.provider.redirect_port,
            language,
            platform: target.platform,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(provider: &str) -> Config {
        let raw = format!("[organisation]\nname = \"C\"\n[provider]\n{provider}\n[app]\nkeep_refresh_token = true\nsign_in_timeout_seconds = 60\n");
        Config::parse(&raw, Path::new("t.toml")).expect("valid")
    }

    /// The settings for the provider `c` builds, as the app assembles them.
    fn sign_in_target(
        c: &Config,
        language: Language,
    ) -> Result<(String, SignInSettings), AuthError> {
        let provider = crate::providers::provider_for(c);
        sign_in_settings(c, provider.and_then(|p| p.sign_in()), language)
    }

    #[test]
    fn okta_uses_its_issuer_and_asks_offline_access_only_when_kept() {
        let c = config("kind = \"okta\"\nissuer = \"https://c.okta.example/oauth2/default\"\nclient_id = \"x\"");
        let (issuer, s) = sign_in_target(&c, Language::Fr).expect("target");
        assert_eq!(issuer, "https://c.okta.example/oauth2/default");
        assert_eq!(s.client_id, "x");
        assert!(s.scopes.contains(&"offline_access".to_owned()));
        assert!(s.scopes.contains(&"okta.myAccount.phone.manage".to_owned()));
        assert_eq!(s.timeout, Duration::from_secs(60));
        assert_eq!(s.language, Language::Fr);
    }

    #[test]
    fn entra_issuer_comes_from_the_tenant() {
        let c = config("kind = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"x\"");
        let (issuer, s) = sign_in_target(&c, Language::En).expect("target");
        assert_eq!(
            issuer,
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
        );
        assert_eq!(s.platform, Platform::Microsoft);
        for scope in [
            "User.Read",
            "UserAuthenticationMethod.ReadWrite",
            "offline_access",
        ] {
            assert!(s.scopes.iter().any(|x| x == scope), "{scope}");
        }
        assert!(!s.scopes.iter().any(|x| x.starts_with("okta.")));
    }

    #[test]
    fn a_fixed_redirect_port_comes_from_the_configuration() {
        let okta = "kind = \"okta\"\nissuer = \"https://c.okta.example/oauth2/default\"\nclient_id = \"x\"";
        let (_, s) = sign_in_target(&config(okta), Language::En).expect("target");
        assert_eq!(s.redirect_port, None, "ephemeral by default");
        let fixed = config(&format!("{okta}\nredirect_port = 53682"));
        let (_, s) = sign_in_target(&fixed, Language::En).expect("target");
        assert_eq!(s.redirect_port, Some(53682));
        let raw = format!("[organisation]\nname = \"C\"\n[provider]\n{okta}\nredirect_port = 80\n");
        assert!(
            Config::parse(&raw, Path::new("t.toml")).is_err(),
            "a privileged port"
        );
    }

    #[test]
    fn a_sandbox_that_is_not_running_has_no_sign_in() {
        let c = config("kind = \"sandbox\"");
        assert_eq!(
            sign_in_target(&c, Language::En).err(),
            Some(AuthError::NotAvailable)
        );
    }
}
