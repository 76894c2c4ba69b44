//! Errors cross to the UI as a stable code and a message key, never as a Rust debug string.

use latchkey_core::dto::IpcError;
use latchkey_core::CoreError;

pub fn to_ipc(error: impl Into<CoreError>) -> IpcError {
    IpcError::from(&error.into())
}
