//! A reusable harness for end-to-end tests of the real Latchkey binary in a real window.
//!
//! Each [`App`] gets its own `tauri-driver` (which drives `WebKitWebDriver`) on free loopback
//! ports and its own empty XDG folders, so tests do not share state. Tests run under Xvfb
//! (`xvfb-run -a`); the binary is the demo release build
//! (`npx tauri build --no-bundle --features demo --config tauri.demo.conf.json`), built once per
//! run, with the demo build's own identity.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;
use tokio::process::{Child, Command};

pub mod xwd;

pub use xwd::Result;

pub mod privacy;

/// The repository's top folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app binary under test: `$LATCHKEY_BIN`, or the release build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("LATCHKEY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/latchkey"))
}

/// The identifier of the build under test, the demo build's (`tauri.demo.conf.json`): the app
/// keeps its refresh token under this keyring service, and its single-instance lock and data
/// folders are named after it, apart from an installed Latchkey's.
pub fn app_identifier() -> String {
    let path = repo_root().join("tauri.demo.conf.json");
    let text = std::fs::read_to_string(&path).expect("tauri.demo.conf.json is readable");
    let config: serde_json::Value = serde_json::from_str(&text).expect("it is JSON");
    config["identifier"]
        .as_str()
        .expect("tauri.demo.conf.json sets the identifier")
        .to_owned()
}

/// The OS keyring entry where the app under test keeps a refresh token.
pub fn kept_refresh_token() -> latchkey_core::auth::store::KeyringStore {
    latchkey_core::auth::store::KeyringStore::new(&app_identifier(), "refresh-token")
}

/// Forgets the kept refresh token when dropped: a test that keeps one leaves the session
/// keyring as it found it, even when an assertion fails half-way.
pub struct ForgetKeptToken;

impl Drop for ForgetKeptToken {
    fn drop(&mut self) {
        use latchkey_core::auth::store::RefreshTokenStore;
        let _ = kept_refresh_token().delete();
    }
}

/// Where screenshots go (ignored by git).
pub fn screenshot_dir() -> PathBuf {
    repo_root().join("target/e2e-screenshots")
}

/// How to start the app.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// Extra command-line arguments.
    pub args: Vec<String>,
    /// The OS locale the app sees (`LANG`/`LC_ALL`), e.g. `fr_FR.UTF-8`.
    pub locale: Option<String>,
    /// More environment for the app, e.g. `BROWSER`.
    pub env: Vec<(String, String)>,
    /// Another app binary than Latchkey's release build (the benchmark's bare Tauri app).
    pub binary: Option<PathBuf>,
}

impl Launch {
    pub fn with_config(path: impl Into<PathBuf>) -> Launch {
        Launch {
            config: Some(path.into()),
            ..Launch::default()
        }
    }

    pub fn locale(mut self, locale: &str) -> Launch {
        self.locale = Some(locale.to_owned());
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Launch {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A running app, driven through WebDriver.
pub struct App {
    client: Option<Client>,
    driver: Child,
    /// XDG folders the app sees: the privacy checks of later tests look here.
    pub home: TempDir,
}

/// Every process below `root`, from /proc.
fn descendants(root: u32) -> Result<Vec<u32>> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The parent is the second field after the parenthesised command name.
        if let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        {
            parent_of.push((pid, ppid));
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let current = found[i];
        found.extend(
            parent_of
                .iter()
                .filter(|(_, p)| *p == current)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    Ok(found)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl App {
    pub async fn launch(launch: Launch) -> Result<App> {
        let binary = launch.binary.clone().unwrap_or_else(app_binary);
        if !binary.exists() {
            return Err(format!(
                "{} is missing: build it first with `npx tauri build --no-bundle --features demo --config tauri.demo.conf.json`",
                binary.display()
            )
            .into());
        }
        let home = tempfile::tempdir()?;
        // Temporary and runtime files land inside the scanned folder too.
        for dir in ["tmp", "runtime"] {
            std::fs::create_dir(home.path().join(dir))?;
        }
        std::fs::set_permissions(
            home.path().join("runtime"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )?;
        let port = free_port()?;
        let native_port = free_port()?;
        let driver_bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut command = Command::new(driver_bin);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("TMPDIR", home.path().join("tmp"))
            .env("XDG_RUNTIME_DIR", home.path().join("runtime"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            // No session bus unless a test brings its own: each app is then a first instance.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            // The app's own stdout and stderr come through tauri-driver: keep them for the
            // privacy checks.
            .stdout(Stdio::from(std::fs::File::create(
                home.path().join("output.log"),
            )?))
            .stderr(Stdio::from(std::fs::File::create(
                home.path().join("output.log").with_extension("err"),
            )?))
            .kill_on_drop(true);
        command.envs(launch.env.iter().map(|(k, v)| (k, v)));
        if let Some(locale) = &launch.locale {
            command
                .env("LANG", locale)
                .env("LC_ALL", locale)
                .env("LANGUAGE", locale);
        }
        let driver = command
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver: {e}"))?;

        let mut args = launch.args.clone();
        if let Some(config) = &launch.config {
            args.push("--config".into());
            args.push(config.display().to_string());
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": binary.display().to_string(), "args": args }),
        );
        // Wait for tauri-driver to listen, then ask for one session: a failed session is a
        // real failure, not something to retry (each attempt starts the app again).
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if Instant::now() > deadline {
                return Err(format!("tauri-driver did not listen on port {port}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let url = format!("http://127.0.0.1:{port}");
        // Both rustls providers are compiled in (see Cargo.toml); losing the race is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()?
            .capabilities(caps)
            .connect(&url)
            .await
            .map_err(|e| format!("no WebDriver session at {url}: {e}"))?;
        Ok(App {
            client: Some(client),
            driver,
            home,
        })
    }

    /// Resident memory of the app and its WebKit processes (everything tauri-driver started
    /// except the WebDriver itself), in KiB.
    pub fn memory_kib(&self) -> Result<u64> {
        let root = self.driver.id().ok_or("tauri-driver has exited")?;
        let mut total = 0;
        for pid in descendants(root)? {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let name = status.lines().next().unwrap_or_default();
            if name.contains("WebKitWebDriver") {
                continue;
            }
            total += status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
        Ok(total)
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session open until close()")
    }

    /// Waits (up to 10 s) for an element matching `css`. WebKit's driver may report a node the
    /// page replaced while it was being found as stale: that is looked for again, a few times.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        let mut attempts = 0;
        loop {
            let found = self
                .client()
                .wait()
                .at_most(Duration::from_secs(10))
                .every(Duration::from_millis(50))
                .for_element(Locator::Css(css))
                .await;
            match found {
                Err(e) if e.is_stale_element_reference() && attempts < 3 => attempts += 1,
                other => return Ok(other.map_err(|e| format!("waiting for `{css}`: {e}"))?),
            }
        }
    }

    /// Waits for an element matching `css` and clicks it; found again if a re-render replaced
    /// it in between, a few times at most.
    pub async fn click(&self, css: &str) -> Result<()> {
        let mut attempts = 0;
        loop {
            match self.wait_for(css).await?.click().await {
                Err(e) if e.is_stale_element_reference() && attempts < 3 => attempts += 1,
                other => return Ok(other?),
            }
        }
    }

    /// Types `text` into the field matching `css` after clearing it. A screen that re-renders
    /// (an error coming back) may replace the field between finding and typing: then it is found
    /// again, a few times at most.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let mut attempts = 0;
        loop {
            let field = self.wait_for(css).await?;
            let typed = match field.clear().await {
                Ok(()) => field.send_keys(text).await,
                Err(e) => Err(e),
            };
            match typed {
                Err(e) if e.is_stale_element_reference() && attempts < 3 => attempts += 1,
                other => return Ok(other?),
            }
        }
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Presses a key on whatever has focus, as a keyboard user would.
    pub async fn press(&self, key: Key) -> Result<()> {
        self.chord(&[key]).await
    }

    /// Holds the keys down in order and releases them in reverse: `[Key::Shift, Key::Tab]`.
    pub async fn chord(&self, keys: &[Key]) -> Result<()> {
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys {
            actions = actions.then(KeyAction::Down {
                value: char::from(*key),
            });
        }
        for key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up {
                value: char::from(*key),
            });
        }
        self.client().perform_actions(actions).await?;
        Ok(())
    }

    /// An attribute of the focused element, e.g. `data-route`.
    pub async fn focused_attr(&self, name: &str) -> Result<Option<String>> {
        Ok(self.client().active_element().await?.attr(name).await?)
    }

    /// Saves a PNG of the window, as the X server shows it, to
    /// `target/e2e-screenshots/<name>.png` (see [`xwd`] for why not WebDriver's screenshot).
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let (x, y, width, height) = self.client().get_window_rect().await?;
        let dump = tokio::process::Command::new("xwd")
            .args(["-root", "-silent"])
            .output()
            .await
            .map_err(|e| format!("cannot run xwd (Debian x11-apps): {e}"))?;
        if !dump.status.success() {
            return Err(format!("xwd failed: {}", String::from_utf8_lossy(&dump.stderr)).into());
        }
        let rect = xwd::Rect {
            x: u32::try_from(x)?,
            y: u32::try_from(y)?,
            width: u32::try_from(width)?,
            height: u32::try_from(height)?,
        };
        let png = xwd::xwd_to_png(&dump.stdout, Some(rect))?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// What the app printed so far (stdout, then stderr), as captured through tauri-driver.
    pub fn output(&self) -> Result<String> {
        let mut text = std::fs::read_to_string(self.home.path().join("output.log"))?;
        text.push_str(&std::fs::read_to_string(
            self.home.path().join("output.err"),
        )?);
        Ok(text)
    }

    /// Closes the app and reports every file under its XDG folders and every output line that
    /// contains one of `secrets` (none expected: DESIGN.md's privacy rules).
    pub async fn close_and_find(mut self, secrets: &[&str]) -> Result<Vec<String>> {
        // The folders must outlive close(): take them out of the app first.
        let kept = std::mem::replace(&mut self.home, tempfile::tempdir()?);
        let home = kept.path().to_owned();
        self.close().await?;
        let mut found = privacy::scan(&home, secrets);
        // The OS keyring too: only the kept refresh token's entry may hold anything of ours.
        let allowed = format!("keyring-rs:refresh-token@{}", app_identifier());
        found.extend(privacy::scan_keyrings(secrets, &allowed));
        // The captured output must really be the app's: an empty capture would scan clean.
        for log in ["output.log", "output.err"] {
            if !home.join(log).is_file() {
                found.push(format!("{log} was not captured"));
            }
        }
        Ok(found)
    }

    /// Ends the WebDriver session (closing the app) and stops tauri-driver.
    pub async fn close(mut self) -> Result<()> {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
        terminate(&self.driver);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.driver.wait()).await;
        Ok(())
    }
}

/// SIGTERM lets tauri-driver stop WebKitWebDriver and the app too; SIGKILL would leave them.
fn terminate(driver: &Child) {
    if let Some(pid) = driver.id() {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
    }
}

impl Drop for App {
    /// A failed test returns early without `close()`: still stop what it started.
    fn drop(&mut self) {
        terminate(&self.driver);
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Writes a configuration file for a test into `dir`.
pub fn write_config(dir: &Path, name: &str, contents: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, contents)?;
    Ok(path)
}

/// The sandbox example configuration that ships with the app.
pub fn example_config(name: &str) -> PathBuf {
    repo_root().join("examples").join(name)
}

/// A `$BROWSER` that appends each URL it is asked to open to a file.
pub fn recording_browser(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("opened-urls");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    Ok((script, log))
}

pub async fn opened_urls(log: &Path, at_least: usize) -> Result<Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let urls: Vec<String> = std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        if urls.len() >= at_least {
            return Ok(urls);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the browser was opened {} times, expected {at_least}",
                urls.len()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
