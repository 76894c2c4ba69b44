//! Before the window: which configuration to use, and whether the login-time prompt has
//! anything to ask at all.

use std::path::PathBuf;

use latchkey_core::config::{Config, ConfigError, Helpdesk};
use latchkey_core::journeys::onboarding::{onboarding_needed as needed, today};
use latchkey_core::launch::LaunchOptions;
use latchkey_core::record::LocalRecord;

/// The managed configuration as read, with the helpdesk salvaged from an invalid file.
pub type Loaded = (Result<Config, ConfigError>, Option<Helpdesk>);

/// The managed configuration: the file `--config` names, or the built-in demo one for `--demo`.
pub fn read_config(options: &LaunchOptions) -> (PathBuf, Loaded) {
    #[cfg(feature = "demo")]
    if options.demo {
        let path = PathBuf::from(crate::demo::embedded::CONFIG_NAME);
        let config = Config::parse(crate::demo::embedded::CONFIG, &path);
        return (path, (config, None));
    }
    let path = options.config.clone();
    let loaded = Config::load_or_salvage(&path);
    (path, loaded)
}

/// Whether `--onboarding` has anything to ask (from the configuration and the local record).
pub fn onboarding_needed(options: &LaunchOptions) -> bool {
    let (_, (config, _)) = read_config(options);
    match config {
        // A broken configuration is shown, so that someone notices.
        Err(_) => true,
        Ok(config) => needed(&config, LocalRecord::default_location().as_ref(), today()),
    }
}
