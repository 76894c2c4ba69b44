//! Why a configuration could not be used, with where to look in the file.

use std::path::PathBuf;

use thiserror::Error;

use crate::codes::ErrorCode;

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
