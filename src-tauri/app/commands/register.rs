//! Onboarding commands: read the registration, add a phone or an e-mail, confirm with the code;
//! for Entra, open Microsoft's security info page and read the methods again.

use latchkey_core::dto::{Delivery, IpcError, RegistrationView};
use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
use latchkey_core::ports::BrowserOpener;
use latchkey_core::providers::{directory_for, ProviderError};
use latchkey_core::record::LocalRecord;
use secrecy::SecretString;
use tauri::State;
use tokio::sync::MutexGuard;

use crate::ipc_error::to_ipc;
use crate::platform::SystemBrowser;
use crate::AppState;

/// The registration of the signed-in user, made on first use.
async fn registration<'s>(
    state: &'s AppState,
) -> Result<MutexGuard<'s, Option<Registration>>, IpcError> {
    let mut slot = state.registration().lock().await;
    if slot.is_none() {
        let token = state
            .access_token()
            .ok_or_else(|| to_ipc(ProviderError::SignInRequired))?;
        let config = state
            .config()
            .map_err(|_| to_ipc(ProviderError::NotAllowed))?;
        let directory = directory_for(config).map_err(to_ipc)?;
        let reconfirm = Reconfirm {
            every_days: config.policy.reconfirm_days,
            record: LocalRecord::default_location(),
        };
        *slot = Some(Registration::new(
            directory,
            token,
            config.policy.methods_required,
            reconfirm,
        ));
    }
    Ok(slot)
}

/// Runs `f` on the registration, which exists once `registration` returned. A 401 earns one
/// silent refresh and one more try; then the user must sign in again.
macro_rules! with_registration {
    ($state:expr, |$r:ident| $body:expr) => {{
        let mut slot = registration(&$state).await?;
        let $r = slot
            .as_mut()
            .ok_or_else(|| to_ipc(ProviderError::SignInRequired))?;
        match $body.await {
            Err(ProviderError::SignInRequired) => {
                let token = $state.renew_access_token().await.map_err(to_ipc)?;
                $r.set_token(token);
                $body.await.map_err(to_ipc)
            }
            other => other.map_err(to_ipc),
        }
    }};
}

#[tauri::command]
pub async fn registration_status(state: State<'_, AppState>) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.view())
}

#[tauri::command]
pub async fn registration_add_phone(
    state: State<'_, AppState>,
    region: String,
    number: String,
    delivery: Delivery,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.add_phone(&region, &number, delivery))
}

#[tauri::command]
pub async fn registration_add_email(
    state: State<'_, AppState>,
    address: String,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.add_email(&address))
}

#[tauri::command]
pub async fn registration_confirm(
    state: State<'_, AppState>,
    code: String,
) -> Result<RegistrationView, IpcError> {
    let code = SecretString::from(code);
    with_registration!(state, |r| r.confirm(&code))
}

#[tauri::command]
pub async fn registration_resend(
    state: State<'_, AppState>,
    switch_to: Option<Delivery>,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.resend(switch_to))
}

#[tauri::command]
pub async fn registration_cancel(state: State<'_, AppState>) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.cancel())
}

/// Removes one of the user's confirmed methods, by the id the view gave.
#[tauri::command]
pub async fn registration_remove(
    state: State<'_, AppState>,
    id: String,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.remove(&id))
}

#[tauri::command]
pub async fn registration_reconfirm(
    state: State<'_, AppState>,
) -> Result<RegistrationView, IpcError> {
    with_registration!(state, |r| r.reconfirm())
}

/// Entra: opens Microsoft's security info page (from the configuration, never from the UI) in
/// the system browser. The UI then reads the methods again until the registration is complete.
#[tauri::command]
pub async fn registration_open_handoff(state: State<'_, AppState>) -> Result<String, IpcError> {
    let view = with_registration!(state, |r| r.view())?;
    let url = view
        .handoff
        .ok_or_else(|| to_ipc(ProviderError::NotAllowed))?;
    SystemBrowser
        .open(&url)
        .map_err(|_| to_ipc(latchkey_core::auth::AuthError::BrowserUnavailable))?;
    Ok(url)
}
