//! Sign-in commands: start (and wait), status for the waiting screen, reopen, cancel.

use latchkey_core::auth::{AuthError, Freshness};
use latchkey_core::dto::{IpcError, SignInStatus, SignedIn};
use latchkey_core::ports::BrowserOpener;
use latchkey_core::presence::Presence;
use tauri::State;

use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// Signs in, silently with a kept refresh token when there is one, otherwise through the
/// system browser; resolves when the browser came back, the user cancelled, or it timed out.
#[tauri::command]
///
/// `confirm`: the user must prove presence for an account change (T47): the kept token is not
/// used, and the provider is asked to authenticate the user again.
pub async fn sign_in(state: State<'_, AppState>, confirm: bool) -> Result<SignedIn, IpcError> {
    let signin = state
        .authority()
        .map_err(to_ipc)?
        .sign_in()
        .await
        .map_err(to_ipc)?;
    let (kept, keyring_unavailable) = state.kept_refresh_token();
    if let Some(token) = kept.filter(|_| !confirm) {
        // A rotated refresh token is kept the moment it comes: the kept one is spent even if
        // the rest of the silent sign-in fails.
        let mut session_only = keyring_unavailable;
        let refreshed = signin
            .refresh_session(&token, |rotated| {
                session_only |= state.keep_rotated_refresh_token(rotated);
            })
            .await;
        match refreshed {
            Ok(session) => return Ok(state.signed_in(session, Presence::silent(), session_only)),
            // The kept token is dead (expired, revoked, replayed): forget it, use the browser.
            Err(AuthError::InvalidGrant) => state.forget_refresh_token(),
            // Anything else the browser sign-in below will meet and report too.
            Err(_) => {}
        }
    }
    let fresh = Freshness {
        max_age: Some(state.reauth_window()),
        login_again: confirm,
    };
    let pending = signin.start_fresh(None, fresh).await.map_err(to_ipc)?;
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
    let presence = Presence::interactive_now(session.identity.auth_time);
    Ok(state.signed_in(session, presence, keyring_unavailable))
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
