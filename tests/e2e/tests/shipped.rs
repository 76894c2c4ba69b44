//! The build users get, in the window mode users get. WebDriver automation turns the window's
//! incognito mode off (`app/window.rs`), so this test drives the shipped binary (from the `.deb`
//! build, without the sandbox) the way a person would: keystrokes through `xdotool` under Xvfb,
//! screenshots to look at. It resets a forgotten password against a sandbox tenant on loopback,
//! proves each step by what the tenant received, and then scans the user's folders and the
//! keyrings for every secret typed.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod journey;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use journey::sandbox::{spawn, Tenant, REGISTERED, REGISTERED_EMAIL, REGISTERED_PHONE};
use journey::{ANSWER, NEW_PASSWORD};
use latchkey_e2e::{privacy, repo_root, screenshot_dir, write_config, xwd, Result};
use tokio::process::Command;

/// The shipped binary: `$LATCHKEY_SHIPPED_BIN`, or the copy tests/run.sh keeps of the `.deb`
/// build before the demo build replaces `target/release/latchkey`.
fn shipped_binary() -> Result<PathBuf> {
    let path = std::env::var_os("LATCHKEY_SHIPPED_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/shipped/latchkey"));
    if !path.exists() {
        return Err(format!(
            "{} is missing: tests/run.sh copies it after `npx tauri build --bundles deb`",
            path.display()
        )
        .into());
    }
    Ok(path)
}

async fn xdotool(args: &[&str]) -> Result<String> {
    let out = tokio::time::timeout(
        Duration::from_secs(25),
        Command::new("xdotool").args(args).output(),
    )
    .await
    .map_err(|_| format!("xdotool {args:?} did not finish"))?
    .map_err(|e| format!("cannot run xdotool (Debian xdotool): {e}"))?;
    if !out.status.success() {
        return Err(format!("xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Types `text` and presses Enter, as the keyboard would, into the focused field.
async fn type_and_enter(text: &str) -> Result<()> {
    xdotool(&["type", "--delay", "15", text]).await?;
    xdotool(&["key", "Return"]).await?;
    Ok(())
}

async fn screenshot(name: &str) -> Result<()> {
    let dump = Command::new("xwd")
        .args(["-root", "-silent"])
        .output()
        .await?;
    let png = xwd::xwd_to_png(&dump.stdout, None)?;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.png")), png)?;
    Ok(())
}

/// Waits until `to` has received `count` messages from the tenant.
async fn outbox_reaches(tenant: &Tenant, to: &str, count: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while tenant.outbox(to).await.len() < count {
        if Instant::now() > deadline {
            return Err(format!("{to} never got message {count}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// A step the tenant cannot show (the next screen): give the window time to render it.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1500)).await;
}

/// The shipped binary with `arg`, its user folders (temporary and runtime ones too) in `home`,
/// and nothing of WebDriver: the window is the incognito one users get.
fn launch(
    binary: &std::path::Path,
    config: &std::path::Path,
    arg: &str,
    home: &std::path::Path,
) -> Result<tokio::process::Child> {
    for sub in ["tmp", "runtime"] {
        std::fs::create_dir_all(home.join(sub))?;
    }
    std::fs::set_permissions(
        home.join("runtime"),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )?;
    Ok(Command::new(binary)
        .arg("--config")
        .arg(config)
        .arg(arg)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TMPDIR", home.join("tmp"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("TAURI_WEBVIEW_AUTOMATION")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdout(Stdio::from(std::fs::File::create(home.join("output.log"))?))
        .stderr(Stdio::from(std::fs::File::create(home.join("output.err"))?))
        .kill_on_drop(true)
        .spawn()?)
}

/// Waits for the Latchkey window and gives it the keyboard.
async fn focus_window() -> Result<()> {
    let window = xdotool(&["search", "--sync", "--onlyvisible", "--name", "Latchkey"]).await?;
    let window = window.lines().next().unwrap_or_default().to_owned();
    xdotool(&["windowfocus", "--sync", &window]).await?;
    settle().await;
    Ok(())
}

/// Ends the app as the session would, and waits for it.
async fn stop(app: &mut tokio::process::Child) -> Result<()> {
    let _ = Command::new("kill")
        .args(["-TERM", &app.id().unwrap_or_default().to_string()])
        .status()
        .await;
    tokio::time::timeout(Duration::from_secs(10), app.wait())
        .await
        .map_err(|_| "the shipped app did not exit on SIGTERM")??;
    Ok(())
}

/// Offline "Forgot password" and the onboarding's first screen, as users get them; screenshots
/// to look at, and the window's folders hold nothing of what was typed.
#[tokio::test]
async fn the_shipped_build_offline_and_at_the_onboarding() -> Result<()> {
    let binary = shipped_binary()?;
    let dir = tempfile::tempdir()?;
    // Nothing listens on the discard port: the verdict is "no route" at once.
    let config = write_config(
        dir.path(),
        "okta.toml",
        "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\n\n[provider]\nkind = \"okta\"\nissuer = \"http://127.0.0.1:9/oauth2/default\"\nclient_id = \"latchkey\"\n\n[app]\nlanguage = \"en\"\n",
    )?;
    let home = tempfile::tempdir()?;
    let mut app = launch(&binary, &config, "--forgot-password", home.path())?;
    focus_window().await?;
    screenshot("shipped-reset-offline-en").await?;
    stop(&mut app).await?;
    // At login with no record here: the onboarding opens on its sign-in screen.
    let mut app = launch(&binary, &config, "--onboarding", home.path())?;
    focus_window().await?;
    screenshot("shipped-onboarding-en").await?;
    stop(&mut app).await?;
    let output = std::fs::read_to_string(home.path().join("output.err"))?;
    assert!(!output.contains("panicked"), "{output}");
    Ok(())
}

#[tokio::test]
async fn the_shipped_build_resets_a_password_in_its_incognito_window() -> Result<()> {
    let binary = shipped_binary()?;
    let tenant = spawn();
    let dir = tempfile::tempdir()?;
    let home = tempfile::tempdir()?;
    let config = write_config(
        dir.path(),
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\n\n[provider]\nkind = \"okta\"\nissuer = \"{}\"\nclient_id = \"{}\"\n\n[app]\nlanguage = \"en\"\n",
            tenant.sandbox.issuer(),
            tenant.sandbox.client_id()
        ),
    )?;
    let mut app = launch(&binary, &config, "--forgot-password", home.path())?;
    focus_window().await?;
    screenshot("shipped-reset-start-en").await?;
    // The heading has focus; Tab into the username, type it, Enter (SMS is preselected).
    xdotool(&["key", "Tab"]).await?;
    type_and_enter(REGISTERED).await?;
    outbox_reaches(&tenant, REGISTERED_PHONE, 1).await?;
    settle().await;
    screenshot("shipped-reset-code-en").await?;
    let code = tenant.last_code(REGISTERED_PHONE).await;
    xdotool(&["key", "Tab"]).await?;
    type_and_enter(&code).await?;
    settle().await;
    xdotool(&["key", "Tab"]).await?;
    type_and_enter(ANSWER).await?;
    settle().await;
    screenshot("shipped-reset-new-password-en").await?;
    xdotool(&["key", "Tab"]).await?;
    type_and_enter(NEW_PASSWORD).await?;
    // The reset went through: the tenant tells the user's recovery address.
    outbox_reaches(&tenant, REGISTERED_EMAIL, 1).await?;
    let notices = tenant.outbox(REGISTERED_EMAIL).await;
    assert!(
        notices.iter().any(|m| m["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("password was reset")),
        "{notices:?}"
    );
    settle().await;
    screenshot("shipped-reset-done-en").await?;

    stop(&mut app).await?;

    // Nothing typed is on disk or in the keyrings: the incognito window kept nothing.
    let issued = tenant.issued().await;
    assert!(!issued.is_empty(), "the reset ran on state tokens");
    let mut secrets = vec![code.as_str(), ANSWER, NEW_PASSWORD, REGISTERED_PHONE];
    secrets.extend(issued.iter().map(String::as_str));
    let mut found = privacy::scan(home.path(), &secrets);
    found.extend(privacy::scan_keyrings(&secrets, ""));
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}
