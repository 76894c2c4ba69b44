//! The ways in: `--forgot-password`, `latchkey://` links, and the login-time `--onboarding`
//! that decides at once, with no window and no network, whether anything is due.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::process::Command;
use std::time::{Duration, Instant};

use latchkey_e2e::{app_binary, example_config, App, Launch, Result};

/// Runs the binary with no display at all and its data folder at `data`.
fn headless(args: &[&str], data: &std::path::Path) -> Result<(std::process::Output, Duration)> {
    let started = Instant::now();
    let out = Command::new(app_binary())
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_DATA_HOME", data)
        .output()?;
    Ok((out, started.elapsed()))
}

#[test]
fn onboarding_at_login_exits_at_once_when_nothing_is_due() -> Result<()> {
    let data = tempfile::tempdir()?;
    let config = example_config("okta.toml");
    let config = config.to_str().ok_or("path")?;
    // Never confirmed on this computer: it wants a window (and says there is no display).
    let (out, _) = headless(&["--onboarding", "--config", config], data.path())?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no display"));
    // Confirmed today: nothing to ask, no window, no output, well under a second.
    std::fs::create_dir_all(data.path().join("latchkey-demo"))?;
    let today = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()?;
    let today = String::from_utf8(today.stdout)?;
    std::fs::write(
        data.path().join("latchkey-demo/record.toml"),
        format!("last_confirmed = \"{}\"\n", today.trim()),
    )?;
    let (out, took) = headless(&["--onboarding", "--config", config], data.path())?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert!(took < Duration::from_secs(1), "took {took:?}");
    Ok(())
}

#[test]
fn links_other_than_latchkeys_own_are_refused() -> Result<()> {
    let data = tempfile::tempdir()?;
    for link in [
        "latchkey://reset?username=x",
        "latchkey://evil",
        "https://example.com/",
        "javascript:alert(1)",
    ] {
        let (out, _) = headless(&[link], data.path())?;
        assert_eq!(out.status.code(), Some(2), "{link}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a Latchkey link"),
            "{link}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn forgot_password_flag_and_reset_link_open_the_reset_journey() -> Result<()> {
    for how in [vec!["--forgot-password"], vec!["latchkey://reset"]] {
        let mut launch = Launch::with_config(example_config("okta.toml")).locale("en_US.UTF-8");
        launch.args.extend(how.iter().map(|s| (*s).to_owned()));
        let app = App::launch(launch).await?;
        app.wait_for("[data-screen='reset']").await?;
        app.close().await?;
    }
    let mut launch = Launch::with_config(example_config("okta.toml")).locale("en_US.UTF-8");
    launch.args.push("latchkey://onboarding".into());
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='onboarding'][data-state='ready']")
        .await?;
    app.close().await
}
