//! Onboarding commands: read the registration, add a phone or an e-mail, confirm with the code;
//! for Entra, open Microsoft's security info page and read the methods again.

use latchkey_core::dto::{Delivery, IpcError, RegistrationView};
use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
use latchkey_core::ports::BrowserOpener;
use latchkey_core::providers::ProviderError;
use latchkey_core::record::LocalRecord;
use latchkey_core::typed::Typed;
use tauri::State;
use tokio::sync::MutexGuard;

use super::with_token;
use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// The registration of the signed-in user, made on first use.
async fn registration<'s>(
    state: &'s AppState,
) -> Result<MutexGuard<'s, Option<Registration>>, IpcError> {
    let mut slot = state.registration().lock().await;
    if slot.is_none() {
        let config = state
            .config()
            .map_err(|_| to_ipc(ProviderError::NotAllowed))?;
        let reconfirm = Reconfirm {
            every_days: config.policy.reconfirm_days,
            record: LocalRecord::default_location(crate::identity::DATA_FOLDER),
        };
        let provider = state.provider().map_err(to_ipc)?;
        *slot = Some(Registration::new(
            provider,
            config.policy.methods_required,
            reconfirm,
        ));
    }
    Ok(slot)
}

/// Runs `f` on the registration with the user's token, through the one refresh-and-retry path.
macro_rules! with_registration {
    ($state:expr, |$r:ident, $token:ident| $body:expr) => {{
        let mut slot = registration(&$state).await?;
        let $r = slot
            .as_mut()
            .ok_or_else(|| to_ipc(ProviderError::SignInRequired))?;
        with_token!($state, |$token| $body)
    }};
}

#[tauri::command]
pub async fn registration_status(state: State<'_, AppState>) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r, token| r.view(&token))
}

#[tauri::command]
pub async fn registration_add_phone(
    state: State<'_, AppState>,
    region: String,
    number: String,
    delivery: Delivery,
) -> Result<RegistrationView, IpcError> {
    state.require_presence().map_err(to_ipc)?;
    with_registration!(state, |r, token| r
        .add_phone(&token, &region, &number, delivery))
}

#[tauri::command]
pub async fn registration_add_email(
    state: State<'_, AppState>,
    address: String,
) -> Result<RegistrationView, IpcError> {
    state.require_presence().map_err(to_ipc)?;
    with_registration!(state, |r, token| r.add_email(&token, &address))
}

#[tauri::command]
pub async fn registration_confirm(
    state: State<'_, AppState>,
    code: Typed,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r, token| r.confirm(&token, code.secret()))
}

#[tauri::command]
pub async fn registration_resend(
    state: State<'_, AppState>,
    switch_to: Option<Delivery>,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r, token| r.resend(&token, switch_to))
}

#[tauri::command]
pub async fn registration_cancel(state: State<'_, AppState>) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r, token| r.cancel(&token))
}

/// Removes one of the user's confirmed methods, by the id the view gave.
#[tauri::command]
pub async fn registration_remove(
    state: State<'_, AppState>,
    id: String,
) -> Result<RegistrationView, IpcError> {
    state.require_presence().map_err(to_ipc)?;
    with_registration!(state, |r, token| r.remove(&token, &id))
}

#[tauri::command]
pub async fn registration_reconfirm(
    state: State<'_, AppState>,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r, token| r.reconfirm(&token))
}

/// Entra: opens Microsoft's security info page (from the configuration, never from the UI) in
/// the system browser. The UI then reads the methods again until the registration is complete.
#[tauri::command]
pub async fn registration_open_handoff(state: State<'_, AppState>) -> Result<String, IpcError> {
    let view = with_registration!(state, |r, token| r.view(&token))?;
    let url = view
        .handoff
        .ok_or_else(|| to_ipc(ProviderError::NotAllowed))?;
    SystemBrowser
        .open(&url)
        .map_err(|_| to_ipc(latchkey_core::auth::AuthError::BrowserUnavailable))?;
    Ok(url)
}
