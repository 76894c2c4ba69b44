//! The main window, created from `tauri.conf.json` (where `create` is false) so that one
//! setting can depend on how the app runs.

use tauri::{App, Runtime, WebviewWindowBuilder};

/// Opens the main window. It is incognito, so the webview keeps no cookies, storage or form
/// data on disk. WebKitGTK's WebDriver cannot attach to an ephemeral context, so under
/// automation (`tauri-driver` sets `TAURI_WEBVIEW_AUTOMATION=true`) the window uses the normal
/// context instead; the end-to-end privacy checks then look at that context's folders.
pub fn open_main<R: Runtime>(app: &mut App<R>) -> tauri::Result<()> {
    let automated = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    WebviewWindowBuilder::from_config(app.handle(), &config)?
        .incognito(!automated)
        .build()?;
    Ok(())
}
