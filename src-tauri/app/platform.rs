//! The platform behind the core's ports.

use latchkey_core::ports::{BrowserOpener, OpenerError};

/// The user's default browser through the `webbrowser` crate (which honours `$BROWSER`).
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), OpenerError> {
        webbrowser::open(url).map_err(|_| OpenerError)
    }
}
