use latchkey_core::dto::Bootstrap;
use tauri::State;

use crate::AppState;

/// The first screen's data: branding, helpdesk, language, and any configuration problem.
#[tauri::command]
pub fn bootstrap(state: State<'_, AppState>) -> Bootstrap {
    state.bootstrap().clone()
}
