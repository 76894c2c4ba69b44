//! The thin Tauri shell: parse the command line, load the configuration, open the window.
//! Everything with rules in it lives in `latchkey-core`.

mod commands;
mod demo;
mod identity;
mod ipc_error;
mod platform;
mod startup;
mod state;
mod window;

use std::ffi::OsString;

use latchkey_core::journeys::onboarding::today;
use latchkey_core::launch::{Entry, LaunchOptions};
use latchkey_core::login::{self, Decision};
use latchkey_core::record::LocalRecord;
use tauri::{Builder, Runtime};

pub use state::AppState;

/// Runs the app and returns the process exit code. `--version`, `--help` and usage errors are
/// answered here, before GTK starts, so they work with no display.
pub fn main_entry(args: impl IntoIterator<Item = OsString>) -> i32 {
    let options = match LaunchOptions::parse_from(args) {
        Ok(options) => options,
        Err(exit) => {
            if exit.is_error {
                eprint!("{}", exit.text);
                return 2;
            }
            print!("{}", exit.text);
            return 0;
        }
    };
    let entry = match options.entry() {
        Ok(entry) => entry,
        Err(why) => {
            eprintln!("latchkey: {why}");
            return 2;
        }
    };
    let loaded = startup::read_config(&options);
    startup::start_logging(&loaded);
    // The login-time modes decide before any window: nothing due, nothing shown.
    let record = LocalRecord::default_location(identity::DATA_FOLDER);
    let decision = login::decide(
        entry,
        options.remind_expiry,
        loaded.1 .0.as_ref().map_err(|_| ()),
        record.as_ref(),
        today(),
        &login::SilentCheck::new(identity::KEYRING_SERVICE),
    );
    let Decision::Open(entry) = decision else {
        return 0;
    };
    let state = AppState::load(loaded, entry);
    if let Some(problem) = state.config_error() {
        // The window shows it too; stderr is what IT sees in a terminal or a journal.
        eprintln!("latchkey: configuration error: {problem}");
    }
    if !has_display() {
        eprintln!("latchkey: no display (DISPLAY and WAYLAND_DISPLAY are unset); start Latchkey from a desktop session");
        return 1;
    }
    match run_app(Builder::default(), state) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("latchkey: could not start the window: {e}");
            1
        }
    }
}

/// Builds and runs the app.
pub fn run_app<R: Runtime>(builder: Builder<R>, state: AppState) -> tauri::Result<()> {
    let builder = builder
        // First, so that a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            window::second_launch(app, argv)
        }));
    app_builder(builder, state).run(tauri::generate_context!())
}

/// The app on any runtime (the mock runtime in tests): the state, the main window, and every
/// command the UI may call.
fn app_builder<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    // Opening on "Forgot password": ask the network while the window starts.
    if state.bootstrap().entry == Entry::Reset {
        state.check_early();
    }
    builder
        .manage(state)
        .setup(|app| Ok(window::open_main(app)?))
        .invoke_handler(tauri::generate_handler![
            commands::bootstrap::bootstrap,
            commands::sign_in::sign_in,
            commands::sign_in::sign_in_status,
            commands::sign_in::sign_in_reopen,
            commands::sign_in::sign_in_cancel,
            commands::sign_in::sign_out,
            commands::demo::open_outbox,
            commands::reset::reset_start,
            commands::reset::reset_code,
            commands::reset::reset_resend,
            commands::reset::reset_answer,
            commands::reset::reset_password,
            commands::reset::reset_cancel,
            commands::reset::connectivity,
            commands::register::registration_status,
            commands::register::registration_add_phone,
            commands::register::registration_add_email,
            commands::register::registration_confirm,
            commands::register::registration_resend,
            commands::register::registration_cancel,
            commands::register::registration_reconfirm,
            commands::register::registration_open_handoff,
            commands::register::registration_remove,
            commands::reset::reset_portal_open,
            commands::account::password_expiry,
            commands::account::password_rules,
            commands::account::change_password,
        ])
}

#[cfg(test)]
mod ipc_tests;

fn has_display() -> bool {
    if cfg!(target_os = "linux") {
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
            || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
    } else {
        true
    }
}
