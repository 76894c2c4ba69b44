//! What the core needs from the platform, as traits: the shell implements them, tests pass
//! their own.

use std::time::SystemTime;

/// Opens a URL in the user's system browser (never an embedded webview, RFC 8252 §8.12).
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &str) -> Result<(), OpenerError>;
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the browser could not be opened")]
pub struct OpenerError;

/// The time, so tests can move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
