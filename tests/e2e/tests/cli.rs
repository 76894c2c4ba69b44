//! The command line works with no display at all.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::process::Command;

use latchkey_e2e::{app_binary, Result};

fn latchkey(args: &[&str]) -> Result<std::process::Output> {
    Ok(Command::new(app_binary())
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()?)
}

#[test]
fn version_without_a_display() -> Result<()> {
    let out = latchkey(&["--version"])?;
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout)?;
    assert_eq!(
        text.trim(),
        format!("latchkey {}", env!("CARGO_PKG_VERSION"))
    );
    Ok(())
}

#[test]
fn help_without_a_display() -> Result<()> {
    let out = latchkey(&["--help"])?;
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout)?;
    assert!(text.contains("--config <PATH>"), "{text}");
    assert!(text.contains("/etc/latchkey/config.toml"), "{text}");
    Ok(())
}

#[test]
fn unknown_flag_is_a_usage_error() -> Result<()> {
    let out = latchkey(&["--no-such-flag"])?;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)?.contains("--no-such-flag"));
    Ok(())
}

#[test]
fn bad_config_is_reported_on_stderr_and_no_display_does_not_panic() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"nope\"\nclient_id = \"x\"\n")?;
    let out = latchkey(&["--config", path.to_str().ok_or("path")?])?;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr)?;
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("provider.tenant"), "{err}");
    assert!(err.contains("no display"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    Ok(())
}
