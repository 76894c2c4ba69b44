//! Before the window: which configuration to use. What a launch then shows is decided in the
//! core (`latchkey_core::login`).

use std::path::PathBuf;

use latchkey_core::config::{Config, ConfigError, Helpdesk};
use latchkey_core::launch::LaunchOptions;
use latchkey_core::logging;

/// The managed configuration as read (with the helpdesk salvaged from an invalid file), and
/// the path it was read from.
pub type Loaded = (PathBuf, (Result<Config, ConfigError>, Option<Helpdesk>));

/// The managed configuration: the file `--config` names, or the built-in demo one for `--demo`.
pub fn read_config(options: &LaunchOptions) -> Loaded {
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

/// Starts the log (stderr and the rotated file under the XDG state directory) at the configured
/// level; INFO when the configuration is unusable. A log that cannot be written is no reason
/// not to help the user: stderr says so and the app goes on.
pub fn start_logging(loaded: &Loaded) {
    let (_, (config, _)) = loaded;
    let level = config
        .as_ref()
        .map(|config| config.app.log_level)
        .unwrap_or_default();
    if let Err(why) = logging::install(crate::identity::DATA_FOLDER, level) {
        eprintln!("latchkey: {why}; logging to stderr only");
    }
}
