//! Demo mode: the sandbox tenant embedded in demo builds, started in-process on loopback when the
//! configuration asks for it (`--demo`, or `kind = "sandbox"` without an issuer). Builds without
//! the `demo` feature compile the same calls to "no demo".

use latchkey_core::config::{Config, ConfigError};
use latchkey_core::dto::DemoTenant;

/// The running tenant; it stops when this is dropped, with the app's state.
pub struct Tenant {
    #[cfg(feature = "demo")]
    _sandbox: latchkey_sandbox::Sandbox,
}

/// A shipped build has no sandbox tenant: a configuration that asks for the embedded one is a
/// configuration error naming the setting (with the helpdesk kept for the error screen), not a
/// configuration accepted and then unable to sign in.
pub fn refuse_without_sandbox(
    path: &std::path::Path,
    config: &mut Result<Config, ConfigError>,
    salvaged: &mut Option<latchkey_core::config::Helpdesk>,
) {
    if cfg!(feature = "demo") {
        return;
    }
    if let Some(c) = config.as_ref().ok().filter(|c| c.wants_embedded_sandbox()) {
        *salvaged = Some(c.helpdesk.clone());
        *config = Err(ConfigError::Invalid {
            path: path.to_owned(),
            key: Some("provider.kind".to_owned()),
            line: None,
            reason: "\"sandbox\" is the demo tenant, which only the separate demo build has; this is the shipped build: use kind = \"okta\" or \"entra\"".to_owned(),
        });
    }
}

/// Starts the embedded tenant when the configuration asks for it and points the configuration
/// at it. A tenant that cannot start is reported on stderr; sign-in then says it is unavailable.
pub fn start_if_wanted(config: &mut Result<Config, ConfigError>) -> Option<(Tenant, DemoTenant)> {
    #[cfg(feature = "demo")]
    {
        let config = config.as_mut().ok()?;
        match embedded::start_for(config)? {
            Ok((sandbox, info)) => Some((Tenant { _sandbox: sandbox }, info)),
            Err(e) => {
                eprintln!("latchkey: the sandbox tenant could not start: {e}");
                None
            }
        }
    }
    #[cfg(not(feature = "demo"))]
    {
        let _ = config;
        None
    }
}

#[cfg(feature = "demo")]
pub(crate) mod embedded {
    use latchkey_core::config::{Config, SandboxEndpoints};
    use latchkey_core::dto::{DemoTenant, DemoUser};
    use latchkey_sandbox::{Sandbox, Seed};

    /// The demo's managed configuration, the same file the repository ships as an example.
    pub const CONFIG: &str = include_str!("../../examples/sandbox.toml");
    pub const CONFIG_NAME: &str = "(built-in demo configuration)";

    pub fn start_for(config: &mut Config) -> Option<Result<(Sandbox, DemoTenant), String>> {
        if !config.wants_embedded_sandbox() {
            return None;
        }
        let seed = Seed::demo();
        let domain = seed.tenant.domain.clone();
        let users = seed
            .users
            .iter()
            .map(|u| DemoUser {
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                registered: u.registered.is_some(),
            })
            .collect();
        Some(match Sandbox::spawn(seed) {
            Ok(sandbox) => {
                config.attach_sandbox(SandboxEndpoints {
                    base_url: sandbox.base_url().to_owned(),
                    okta_issuer: sandbox.issuer(),
                    client_id: sandbox.client_id().to_owned(),
                    domain: domain.clone(),
                });
                let info = DemoTenant {
                    outbox_url: sandbox.outbox_url(),
                    users,
                };
                Ok((sandbox, info))
            }
            Err(e) => Err(e.to_string()),
        })
    }
}
