//! "Forgot password" from the launcher with the provider out of reach, in network namespaces
//! this test makes (root and iproute2 needed; nothing outside them is touched): from process
//! start, the offline screen is up within the one-second promise for every fault — no route,
//! packets silently dropped, DNS that never answers, and an HTTPS provider that accepts TCP and
//! never completes TLS — and the username form never shows first.
//!
//! No WebDriver here: it would turn the window's incognito mode off and add its own start-up.
//! The window's title follows the screen's heading (`ui/src/main.ts`), and `xdotool` reads it
//! every few milliseconds from process start.

#[path = "../../../src-tauri/core/tests/support/netns.rs"]
mod netns_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use latchkey_e2e::{app_binary, write_config, Result};
use netns_support::Netns;

/// The promise (README, "Forgot password" launcher): the offline screen within a second.
const BUDGET: Duration = Duration::from_millis(1000);
const OFFLINE: &str = "You are offline — Latchkey";
const FORM: &str = "Forgot password — Latchkey";

/// A TCP server on `addr` in `ns` that accepts and never says a word: no TLS handshake.
struct Silent(Child);

impl Silent {
    fn start(ns: &Netns, addr: &str, port: u16) -> Result<Silent> {
        let script = format!(
            "import socket,sys\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('{addr}',{port}))\ns.listen(16)\nprint('listening',flush=True)\nheld=[]\nwhile True:\n    held.append(s.accept())\n"
        );
        let mut child = Command::new("ip")
            .args(["netns", "exec", &ns.name, "python3", "-c", &script])
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        if line.trim() != "listening" {
            return Err(format!("the silent server did not start: {line:?}").into());
        }
        Ok(Silent(child))
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The app's window title, if it has one yet.
fn window_title() -> Option<String> {
    let out = Command::new("xdotool")
        .args(["search", "--name", " — Latchkey$", "getwindowname", "%@"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(str::to_owned)
}

/// Runs the launcher in `ns` against `issuer`; returns the titles seen with when, until the
/// offline screen (or 4 s).
fn launch_offline(ns: &Netns, issuer: &str) -> Result<Vec<(u128, String)>> {
    let dir = tempfile::tempdir()?;
    let config = write_config(
        dir.path(),
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[provider]\nkind = \"okta\"\nissuer = \"{issuer}\"\nclient_id = \"latchkey\"\n\n[app]\nlanguage = \"en\"\n"
        ),
    )?;
    for sub in ["runtime", "tmp"] {
        std::fs::create_dir(dir.path().join(sub))?;
    }
    let started = Instant::now();
    let mut app = Command::new("ip")
        .args(["netns", "exec", &ns.name])
        .arg(app_binary())
        .args(["--forgot-password", "--config"])
        .arg(&config)
        .env("HOME", dir.path())
        .env("XDG_RUNTIME_DIR", dir.path().join("runtime"))
        .env("TMPDIR", dir.path().join("tmp"))
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("TAURI_WEBVIEW_AUTOMATION")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut seen: Vec<(u128, String)> = Vec::new();
    while started.elapsed() < Duration::from_secs(4) {
        if let Some(title) = window_title() {
            if seen.last().map(|(_, t)| t) != Some(&title) {
                seen.push((started.elapsed().as_millis(), title.clone()));
            }
            if title == OFFLINE {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = app.kill();
    let _ = app.wait();
    // Let the window go before the next case looks for one.
    let gone = Instant::now();
    while window_title().is_some() && gone.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(seen)
}

fn assert_offline_in_budget(fault: &str, seen: &[(u128, String)]) {
    let offline = seen.iter().find(|(_, t)| t == OFFLINE);
    let Some((ms, _)) = offline else {
        panic!("{fault}: no offline screen in 4 s; titles seen: {seen:?}");
    };
    assert!(
        !seen.iter().any(|(_, t)| t == FORM),
        "{fault}: the username form showed before the offline screen: {seen:?}"
    );
    println!("{fault}: offline screen {ms} ms after process start ({seen:?})");
    assert!(
        *ms <= BUDGET.as_millis(),
        "{fault}: offline screen {ms} ms after process start, over {} ms: {seen:?}",
        BUDGET.as_millis()
    );
}

#[test]
fn the_offline_screen_is_up_within_a_second_for_every_fault() -> Result<()> {
    // No route at all: only loopback in the namespace.
    let alone = Netns::new("ob0");
    let seen = launch_offline(&alone, "https://10.213.70.2/oauth2/default")?;
    assert_offline_in_budget("no route", &seen);

    // A link, but the provider's address is nobody's: packets go and vanish.
    let client = Netns::new("ob1");
    let far = Netns::new("ob1p");
    client.link(&far, "10.213.71");
    let seen = launch_offline(&client, "https://10.213.71.99/oauth2/default")?;
    assert_offline_in_budget("packets dropped", &seen);

    // DNS that never answers: the resolver is an address nobody has.
    std::fs::create_dir_all(client.etc())?;
    std::fs::write(
        client.etc().join("resolv.conf"),
        "nameserver 10.213.71.98\noptions timeout:5 attempts:3\n",
    )?;
    let seen = launch_offline(&client, "https://provider.latchkey.test/oauth2/default")?;
    assert_offline_in_budget("DNS silent", &seen);

    // HTTPS that accepts TCP and never completes TLS (nor answers HTTP).
    let _silent = Silent::start(&far, "10.213.71.2", 443)?;
    let seen = launch_offline(&client, "https://10.213.71.2/oauth2/default")?;
    assert_offline_in_budget("TLS never completes", &seen);
    Ok(())
}
