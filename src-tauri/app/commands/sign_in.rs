//! Sign-in commands: start (and wait), status for the waiting screen, reopen, cancel.

use latchkey_core::auth::AuthError;
use latchkey_core::dto::{IpcError, SignInStatus, SignedIn};
use latchkey_core::ports::BrowserOpener;
use tauri::State;

use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// Signs in, silently with a kept refresh token when there is one, otherwise through the
/// system browser; resolves when the browser came back, the user cancelled, or it timed out.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>) -> Result<SignedIn, IpcError> {
    let signin = state
        .authority()
        .map_err(to_ipc)?
        .sign_in()
        .await
        .map_err(to_ipc)?;
    let (kept, keyring_unavailable) = state.kept_refresh_token();
    if let Some(token) = kept {
        match signin.refresh_session(&token).await {
            Ok(session) => return Ok(state.signed_in(session, keyring_unavailable)),
            // The kept token is dead (expired, revoked, replayed): forget it, use the browser.
            Err(AuthError::InvalidGrant) => state.forget_refresh_token(),
            // Anything else the browser sign-in below will meet and report too.
            Err(_) => {}
        }
    }
    let pending = signin.start(None).await.map_err(to_ipc)?;
    let opened = pending.open_browser(&SystemBrowser).is_ok();
    let cancelled = state.sign_in_waiting(pending.authorize_url(), opened);
    let result = pending
        .finish(async {
            // A dropped sender (a newer sign-in replaced this one) cancels too.
            let _ = cancelled.await;
        })
        .await;
    state.sign_in_ended();
    let session = result.map_err(to_ipc)?;
    Ok(state.signed_in(session, keyring_unavailable))
}

/// What the waiting screen shows: the URL to copy and whether the browser opened.
#[tauri::command]
pub fn sign_in_status(state: State<'_, AppState>) -> SignInStatus {
    state.sign_in_status()
}

#[tauri::command]
pub fn sign_in_reopen(state: State<'_, AppState>) -> Result<(), IpcError> {
    let url = state.sign_in_status().authorize_url;
    let url = url.ok_or_else(|| to_ipc(AuthError::Cancelled))?;
    SystemBrowser
        .open(&url)
        .map_err(|_| to_ipc(AuthError::BrowserUnavailable))
}

#[tauri::command]
pub fn sign_in_cancel(state: State<'_, AppState>) {
    state.cancel_sign_in();
}

/// Forgets the session in memory and the refresh token in the keyring.
#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    state.sign_out();
}
