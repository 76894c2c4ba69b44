//! Which provider to sign in to, and how, from the managed configuration.

use std::time::Duration;

use super::{AuthError, Platform, SignInSettings};
use crate::config::{Config, ProviderKind};
use crate::locale::Language;

/// The Microsoft Graph permissions Latchkey asks for (all delegated, all need admin consent
/// except `User.Read`).
pub const ENTRA_SCOPES: &[&str] = &[
    "offline_access",
    "User.Read",
    "UserAuthenticationMethod.ReadWrite",
    "Domain.Read.All",
    "User-PasswordProfile.ReadWrite.All",
];

/// The OpenID issuer and the sign-in settings for the configured provider.
pub fn sign_in_target(
    config: &Config,
    language: Language,
) -> Result<(String, SignInSettings), AuthError> {
    let provider = &config.provider;
    let issuer = match provider.kind {
        ProviderKind::Okta => provider.issuer.clone(),
        // Microsoft identity platform v2.0: the issuer in the tenant's discovery document.
        ProviderKind::Entra => provider.entra_authority(),
        // The sandbox tenant's issuer is known once it runs: the app attaches it in demo builds.
        ProviderKind::Sandbox => provider.issuer.clone(),
    }
    .ok_or(AuthError::NotAvailable)?;
    let client_id = provider.client_id.clone().ok_or(AuthError::NotAvailable)?;
    let mut scopes = vec!["profile".to_owned(), "email".to_owned()];
    if matches!(provider.kind, ProviderKind::Okta | ProviderKind::Sandbox) {
        // MyAccount: the user's own phones and e-mails, for registration.
        scopes.push("okta.myAccount.phone.manage".to_owned());
        scopes.push("okta.myAccount.email.manage".to_owned());
    }
    let platform = if provider.kind == ProviderKind::Entra {
        // Graph's delegated permissions for what the Entra adapter calls (docs/entra.md):
        // reading and deleting methods, the password's age and the domain's policy, and
        // changePassword. Entra always needs offline_access for the one silent refresh.
        scopes.extend(ENTRA_SCOPES.iter().map(|s| (*s).to_owned()));
        Platform::Microsoft
    } else {
        Platform::Standard
    };
    if config.app.keep_refresh_token && platform == Platform::Standard {
        scopes.push("offline_access".to_owned());
    }
    Ok((
        issuer,
        SignInSettings {
            client_id,
            scopes,
            timeout: Duration::from_secs(u64::from(config.app.sign_in_timeout_seconds)),
            redirect_port: None,
            language,
            platform,
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
    fn a_sandbox_that_is_not_running_has_no_sign_in() {
        let c = config("kind = \"sandbox\"");
        assert_eq!(
            sign_in_target(&c, Language::En).err(),
            Some(AuthError::NotAvailable)
        );
    }
}
