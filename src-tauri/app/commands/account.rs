//! The signed-in user's password: when it expires, and changing it (Entra, through Graph).

use latchkey_core::dto::{IpcError, PasswordExpiry, PasswordHints};
use latchkey_core::journeys::{change, expiry};
use latchkey_core::providers::{graph_for, ProviderError};
use secrecy::SecretString;
use tauri::State;

use crate::ipc_error::to_ipc;
use crate::AppState;

/// Runs a Graph call with the session's token; a 401 earns one silent refresh and one more try.
macro_rules! on_graph {
    ($state:expr, |$graph:ident, $token:ident| $body:expr) => {{
        let config = $state
            .config()
            .map_err(|_| to_ipc(ProviderError::NotAllowed))?;
        let $graph = graph_for(config).map_err(to_ipc)?;
        let $token = $state
            .access_token()
            .ok_or_else(|| to_ipc(ProviderError::SignInRequired))?;
        match $body.await {
            Err(ProviderError::SignInRequired) => {
                let $token = $state.renew_access_token().await.map_err(to_ipc)?;
                $body.await.map_err(to_ipc)
            }
            other => other.map_err(to_ipc),
        }
    }};
}

#[tauri::command]
pub async fn password_expiry(state: State<'_, AppState>) -> Result<PasswordExpiry, IpcError> {
    let remind_within = state
        .config()
        .map(|c| c.app.expiry_reminder_days)
        .unwrap_or_default();
    let username = state.username();
    on_graph!(state, |graph, token| expiry::check(
        &graph,
        &token,
        username.as_deref(),
        remind_within
    ))
}

/// The rules the change-password screen ticks while the user types.
#[tauri::command]
pub fn password_rules() -> PasswordHints {
    change::entra_hints()
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> Result<(), IpcError> {
    let current = SecretString::from(current);
    let new = SecretString::from(new);
    on_graph!(state, |graph, token| change::change_password(
        &graph, &token, &current, &new
    ))?;
    // The kept refresh token may be revoked by the change; a new sign-in gets a fresh one.
    state.forget_refresh_token();
    Ok(())
}
