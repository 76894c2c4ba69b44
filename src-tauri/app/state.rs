//! The app's one piece of state, built once at start.

use latchkey_core::config::{Config, ConfigError};
use latchkey_core::dto::Bootstrap;
use latchkey_core::launch::LaunchOptions;
use latchkey_core::locale::{Language, LanguageSetting};

pub struct AppState {
    config: Result<Config, ConfigError>,
    bootstrap: Bootstrap,
}

impl AppState {
    pub fn load(options: &LaunchOptions) -> AppState {
        let path = &options.config;
        let (config, salvaged) = Config::load_or_salvage(path);
        let setting = config
            .as_ref()
            .map(|c| c.app.language)
            .unwrap_or(LanguageSetting::Auto);
        let bootstrap = Bootstrap::new(path, &config, salvaged, Language::for_os(setting));
        AppState { config, bootstrap }
    }

    pub fn bootstrap(&self) -> &Bootstrap {
        &self.bootstrap
    }

    pub fn config_error(&self) -> Option<&ConfigError> {
        self.config.as_ref().err()
    }
}
