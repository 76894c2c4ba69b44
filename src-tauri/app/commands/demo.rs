//! Demo mode: open the sandbox tenant's outbox, where the codes it "sends" appear.

use latchkey_core::auth::AuthError;
use latchkey_core::dto::IpcError;
use latchkey_core::ports::BrowserOpener;
use tauri::State;

use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// Opens the outbox page in the system browser. Outside demo mode there is none.
#[tauri::command]
pub fn open_outbox(state: State<'_, AppState>) -> Result<(), IpcError> {
    let demo = state.bootstrap().demo.as_ref();
    let url = demo.ok_or_else(|| to_ipc(AuthError::NotAvailable))?;
    SystemBrowser
        .open(&url.outbox_url)
        .map_err(|_| to_ipc(AuthError::BrowserUnavailable))
}
