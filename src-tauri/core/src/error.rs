//! One error type for the core, and the closed set of codes the UI understands.

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::config::ConfigError;

/// A stable code the UI maps to a message and a way forward. Never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ConfigMissing,
    ConfigUnreadable,
    ConfigInvalid,
    Internal,
}

impl ErrorCode {
    /// The key of the localised message in `ui/src/i18n/*.json`.
    pub fn message_key(self) -> &'static str {
        match self {
            ErrorCode::ConfigMissing => "error.config_missing",
            ErrorCode::ConfigUnreadable => "error.config_unreadable",
            ErrorCode::ConfigInvalid => "error.config_invalid",
            ErrorCode::Internal => "error.internal",
        }
    }
}

#[derive(Debug, Error)]
pub enum CoreError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Config(e) => e.code(),
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_message_key() {
        let codes = [
            ErrorCode::ConfigMissing,
            ErrorCode::ConfigUnreadable,
            ErrorCode::ConfigInvalid,
            ErrorCode::Internal,
        ];
        let mut keys: Vec<_> = codes.iter().map(|c| c.message_key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), codes.len());
        assert!(keys.iter().all(|k| k.starts_with("error.")));
    }
}
