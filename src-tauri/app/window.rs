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
        // The window's title follows the page's, which names the screen: a task switcher,
        // a screen reader's window list (and a test without WebDriver) can tell them apart.
        .on_document_title_changed(|window, title| {
            let _ = window.set_title(&title);
        })
        .build()?;
    Ok(())
}

/// A second launch (the "Forgot password" entry, a link, the autostart) reaches the running
/// app: bring its window forward and open what was asked for there.
pub fn second_launch<R: Runtime>(app: &tauri::AppHandle<R>, argv: Vec<String>) {
    use tauri::Manager;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
    let entry = latchkey_core::launch::LaunchOptions::parse_from(argv)
        .ok()
        .and_then(|options| options.entry().ok());
    let route = match entry {
        Some(latchkey_core::launch::Entry::Reset) => "reset",
        Some(latchkey_core::launch::Entry::Onboarding) => "onboarding",
        Some(latchkey_core::launch::Entry::Change) => "change",
        Some(latchkey_core::launch::Entry::Home) | None => return,
    };
    // A fixed route name, never text from the command line, goes into the script.
    let _ = window.eval(format!("window.latchkeyOpen?.('{route}')"));
}
