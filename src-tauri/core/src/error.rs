//! One error type for the core: whatever a step can fail with, and its stable code.

use thiserror::Error;

use crate::auth::AuthError;
use crate::codes::ErrorCode;
use crate::config::ConfigError;

#[derive(Debug, Error)]
pub enum CoreError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Provider(#[from] crate::providers::ProviderError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Config(e) => e.code(),
            CoreError::Auth(e) => e.code(),
            CoreError::Provider(e) => e.code(),
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }
}
