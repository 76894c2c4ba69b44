//! The signed-in user's password: when it expires, and changing it, where the provider allows.

use latchkey_core::dto::{IpcError, PasswordExpiry, PasswordHints};
use latchkey_core::journeys::password;
use latchkey_core::typed::Typed;
use tauri::State;

use super::with_token;
use crate::ipc_error::to_ipc;
use crate::AppState;

#[tauri::command]
pub async fn password_expiry(state: State<'_, AppState>) -> Result<PasswordExpiry, IpcError> {
    let remind_within = state
        .config()
        .map(|c| c.app.expiry_reminder_days)
        .unwrap_or_default();
    let provider = state.provider().map_err(to_ipc)?;
    let username = state.username();
    with_token!(state, |token| password::expiry(
        provider.as_ref(),
        &token,
        username.as_deref(),
        remind_within
    ))
}

/// The rules the change-password screen ticks while the user types.
#[tauri::command]
pub fn password_rules(state: State<'_, AppState>) -> Result<PasswordHints, IpcError> {
    let provider = state.provider().map_err(to_ipc)?;
    Ok(password::rules(provider.as_ref()))
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: Typed,
    new: Typed,
) -> Result<(), IpcError> {
    let (current, new) = (current.secret(), new.secret());
    state.require_presence().map_err(to_ipc)?;
    let provider = state.provider().map_err(to_ipc)?;
    with_token!(state, |token| password::change(
        provider.as_ref(),
        &token,
        current,
        new
    ))?;
    // The kept refresh token may be revoked by the change; a new sign-in gets a fresh one.
    state.forget_refresh_token();
    Ok(())
}
