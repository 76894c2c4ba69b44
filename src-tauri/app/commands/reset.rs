//! Forgot-password commands: each moves the reset in progress one step and says what to show.

use latchkey_core::auth::http::HttpError;
use latchkey_core::auth::AuthError;
use latchkey_core::dto::{IpcError, PortalHandoff, ResetFactor, ResetView};
use latchkey_core::journeys::reset::ResetFlow;
use latchkey_core::net::{check, Reachability, VERDICT_BUDGET};
use latchkey_core::ports::BrowserOpener;
use latchkey_core::typed::Typed;
use tauri::State;

use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// Starts a reset for `username` (replacing any reset in progress).
#[tauri::command]
pub async fn reset_start(
    state: State<'_, AppState>,
    username: String,
    factor: ResetFactor,
) -> Result<ResetView, IpcError> {
    let provider = state.provider().map_err(to_ipc)?;
    let mut slot = state.reset().lock().await;
    if let Some(previous) = slot.take() {
        previous.cancel().await;
    }
    let (flow, view) = ResetFlow::start(provider, &username, factor)
        .await
        .map_err(to_ipc)?;
    *slot = Some(flow);
    Ok(view)
}

#[tauri::command]
pub async fn reset_code(state: State<'_, AppState>, code: Typed) -> Result<ResetView, IpcError> {
    let mut slot = state.reset().lock().await;
    let flow = slot.as_mut().ok_or_else(no_reset)?;
    flow.submit_code(code.secret()).await.map_err(to_ipc)
}

#[tauri::command]
pub async fn reset_resend(
    state: State<'_, AppState>,
    switch_to: Option<ResetFactor>,
) -> Result<ResetView, IpcError> {
    let mut slot = state.reset().lock().await;
    let flow = slot.as_mut().ok_or_else(no_reset)?;
    flow.resend(switch_to).await.map_err(to_ipc)
}

#[tauri::command]
pub async fn reset_answer(
    state: State<'_, AppState>,
    answer: Typed,
) -> Result<ResetView, IpcError> {
    let mut slot = state.reset().lock().await;
    let flow = slot.as_mut().ok_or_else(no_reset)?;
    flow.answer(answer.secret()).await.map_err(to_ipc)
}

#[tauri::command]
pub async fn reset_password(
    state: State<'_, AppState>,
    password: Typed,
) -> Result<ResetView, IpcError> {
    let mut slot = state.reset().lock().await;
    let flow = slot.as_mut().ok_or_else(no_reset)?;
    let view = flow
        .choose_password(password.secret())
        .await
        .map_err(to_ipc)?;
    if view == ResetView::Done {
        // Nothing of a finished reset stays in memory, and a kept refresh token is now stale.
        *slot = None;
        state.forget_refresh_token();
    }
    Ok(view)
}

#[tauri::command]
pub async fn reset_cancel(state: State<'_, AppState>) -> Result<(), IpcError> {
    let flow = state.reset().lock().await.take();
    if let Some(flow) = flow {
        flow.cancel().await;
    }
    Ok(())
}

/// Whether the provider answers, decided within a second (offline screen and auto-retry).
#[tauri::command]
pub async fn connectivity(state: State<'_, AppState>) -> Result<Reachability, IpcError> {
    if let Some(verdict) = state.take_early_verdict().await {
        return Ok(verdict);
    }
    let url = state
        .probe_url()
        .ok_or_else(|| to_ipc(AuthError::NotAvailable))?;
    Ok(check(&url, VERDICT_BUDGET).await)
}

/// A provider whose "Forgot password" is its own portal (Entra: no public API resets a
/// forgotten password): once the portal answers, it opens in the system browser with the
/// username filled in.
#[tauri::command]
pub async fn reset_portal_open(
    state: State<'_, AppState>,
    username: String,
) -> Result<PortalHandoff, IpcError> {
    let url = state
        .provider()
        .map_err(to_ipc)?
        .reset_portal(&username, state.bootstrap().language)
        .ok_or_else(|| to_ipc(AuthError::NotAvailable))?;
    let probe = state
        .probe_url()
        .ok_or_else(|| to_ipc(AuthError::NotAvailable))?;
    if !check(&probe, VERDICT_BUDGET).await.is_online() {
        return Err(to_ipc(AuthError::Http(HttpError::Unreachable)));
    }
    let browser_opened = SystemBrowser.open(&url).is_ok();
    Ok(PortalHandoff {
        url,
        browser_opened,
    })
}

fn no_reset() -> IpcError {
    to_ipc(latchkey_core::providers::ProviderError::SessionExpired)
}
