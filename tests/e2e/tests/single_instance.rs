//! One Latchkey per session: a second launch ("Forgot password" from the menu while the app is
//! open) hands over to the running window, which opens the reset journey, and exits at once.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use latchkey_e2e::{app_binary, example_config, App, Launch, Result};

/// A private D-Bus session bus for this test only, stopped on drop.
struct Bus(std::process::Child, String);

impl Bus {
    fn start() -> Result<Bus> {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stderr(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut address = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut address)?;
        Ok(Bus(child, address.trim().to_owned()))
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_second_launch_opens_the_reset_in_the_running_window() -> Result<()> {
    let bus = Bus::start()?;
    let config = example_config("okta.toml");
    let app = App::launch(
        Launch::with_config(config.clone())
            .locale("en_US.UTF-8")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.1),
    )
    .await?;
    app.wait_for("[data-screen='home']").await?;

    let started = Instant::now();
    // Awaited with a time-out: a second launch that hangs fails the test instead of the run.
    let second = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::process::Command::new(app_binary())
            .arg("--config")
            .arg(&config)
            .arg("--forgot-password")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.1)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .map_err(|_| "the second launch did not exit within 20 s")??;
    let took = started.elapsed();
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(
        took < Duration::from_secs(5),
        "the second launch took {took:?}"
    );
    app.wait_for("[data-screen='reset']").await?;
    app.close().await
}
