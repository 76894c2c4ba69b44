//! The sandbox tenant embedded in demo builds: started in-process on loopback when the
//! configuration asks for it (`--demo`, or `kind = "sandbox"` without an issuer).

use latchkey_core::config::Config;
use latchkey_core::dto::{DemoTenant, DemoUser};
use latchkey_sandbox::{Sandbox, Seed};

/// The demo's managed configuration, the same file the repository ships as an example.
pub const DEMO_CONFIG: &str = include_str!("../../examples/sandbox.toml");
pub const DEMO_CONFIG_NAME: &str = "(built-in demo configuration)";

/// Starts the tenant and points `config` at it. `None` when the configuration names another
/// provider; an error message when the tenant could not start.
pub fn start_for(config: &mut Config) -> Option<Result<(Sandbox, DemoTenant), String>> {
    if !config.wants_embedded_sandbox() {
        return None;
    }
    let seed = Seed::demo();
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
            config.attach_sandbox(sandbox.issuer(), sandbox.client_id().to_owned());
            let info = DemoTenant {
                outbox_url: sandbox.outbox_url(),
                users,
            };
            Ok((sandbox, info))
        }
        Err(e) => Err(e.to_string()),
    })
}
