//! The window's security baseline, checked in the real release window: the CSP blocks inline
//! and remote content, no global Tauri object, commands outside the capability are refused,
//! and the UI honours dark mode.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::sync::{Arc, Mutex};

use latchkey_e2e::{example_config, App, Launch, Result};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback HTTP server of the test's own that records the path of every request it gets
/// and answers each with an empty 200 (with CORS allowed, so a fetch would succeed).
struct Recorder {
    url: String,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    async fn start() -> Result<Recorder> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let paths = Arc::new(Mutex::new(Vec::new()));
        let seen = paths.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut buf = vec![0u8; 4096];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().unwrap_or_else(|e| e.into_inner()).push(path);
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            }
        });
        Ok(Recorder { url, paths })
    }

    /// The positive control: a request from outside the window does arrive.
    async fn answers_from_outside(&self) -> Result<bool> {
        let response = reqwest::get(format!("{}/outside", self.url)).await?;
        Ok(response.status().is_success())
    }

    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

async fn home(launch: Launch) -> Result<App> {
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='home']").await?;
    Ok(app)
}

#[tokio::test]
async fn csp_blocks_inline_scripts_and_remote_requests() -> Result<()> {
    let app =
        home(Launch::with_config(example_config("sandbox.toml")).locale("en_US.UTF-8")).await?;
    // An injected inline script (what an XSS would add) must not run.
    let ran = app
        .client()
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.__inline_ran = false;
               const s = document.createElement('script');
               s.textContent = 'window.__inline_ran = true';
               document.body.appendChild(s);
               setTimeout(() => done(window.__inline_ran), 200);"#,
            vec![],
        )
        .await?;
    assert_eq!(ran, json!(false), "an inline script ran despite the CSP");
    // No request leaves for another origin (connect-src), and no image loads from one (img-src).
    // A server of the test's own records whether anything arrived: with the CSP gone, both would
    // reach it (and the fetch would answer); a failure to connect proves nothing.
    let server = Recorder::start().await?;
    assert!(server.answers_from_outside().await?, "the recorder answers");
    let fetched = app
        .client()
        .execute_async(
            &format!(
                r#"const done = arguments[arguments.length - 1];
                   fetch('{}/fetch').then(() => done('fetched'), () => done('blocked'));"#,
                server.url
            ),
            vec![],
        )
        .await?;
    assert_eq!(fetched, json!("blocked"));
    let image = app
        .client()
        .execute_async(
            &format!(
                r#"const done = arguments[arguments.length - 1];
                   const i = new Image();
                   i.onload = () => done('loaded'); i.onerror = () => done('blocked');
                   i.src = '{}/image.png';"#,
                server.url
            ),
            vec![],
        )
        .await?;
    assert_eq!(image, json!("blocked"));
    // Give a request that slipped through time to land before asking the recorder.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        server.paths(),
        vec!["/outside".to_owned()],
        "only the test's own request reached the server"
    );
    app.close().await
}

#[tokio::test]
async fn only_our_own_commands_are_allowed() -> Result<()> {
    let app =
        home(Launch::with_config(example_config("sandbox.toml")).locale("en_US.UTF-8")).await?;
    let global = app
        .client()
        .execute("return typeof window.__TAURI__", vec![])
        .await?;
    assert_eq!(global, json!("undefined"), "withGlobalTauri must stay off");
    let call = |command: &'static str| {
        let client = app.client().clone();
        async move {
            client
                .execute_async(
                    &format!(
                        r#"const done = arguments[arguments.length - 1];
                           window.__TAURI_INTERNALS__.invoke('{command}', {{}})
                             .then(() => done('allowed'), (e) => done('refused: ' + String(e)));"#
                    ),
                    vec![],
                )
                .await
        }
    };
    assert_eq!(call("bootstrap").await?, json!("allowed"));
    // Commands that exist in Tauri but are not granted to the window: refused by the ACL, not
    // because they are missing (a refusal for any reason would prove nothing).
    for denied in [
        "plugin:window|close",
        "plugin:webview|create_webview_window",
        "plugin:event|emit",
    ] {
        let answer = call(denied).await?;
        let text = answer.as_str().unwrap_or_default();
        assert!(
            text.starts_with("refused") && text.contains("not allowed by ACL"),
            "{denied}: {answer}"
        );
    }
    let missing = call("no_such_command").await?;
    assert!(
        missing.as_str().unwrap_or_default().starts_with("refused"),
        "{missing}"
    );
    app.close().await
}

#[tokio::test]
async fn dark_mode_is_respected() -> Result<()> {
    let launch = Launch::with_config(example_config("sandbox.toml"))
        .locale("en_US.UTF-8")
        .env("GTK_THEME", "Adwaita:dark");
    let app = home(launch).await?;
    let dark = app
        .client()
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await?;
    assert_eq!(dark, json!(true), "WebKitGTK did not report the dark theme");
    let background = app
        .client()
        .execute(
            "return getComputedStyle(document.body).backgroundColor",
            vec![],
        )
        .await?;
    assert_eq!(background, json!("rgb(21, 23, 27)"));
    app.screenshot("home-dark-en").await?;
    app.close().await
}

/// The privacy scan's positive control in the real window: a secret the page writes to
/// WebKit's own storage (under automation the window is not incognito, so WebKit keeps it on
/// disk) must be found by the scan the journeys end with.
#[tokio::test]
async fn the_privacy_scan_finds_a_secret_planted_in_webkit_storage() -> Result<()> {
    let app =
        home(Launch::with_config(example_config("sandbox.toml")).locale("en_US.UTF-8")).await?;
    let planted = "Planted-Secret-7f3kQ2";
    let stored = app
        .client()
        .execute(
            "localStorage.setItem('latchkey-plant', arguments[0]); return localStorage.getItem('latchkey-plant')",
            vec![json!(planted)],
        )
        .await?;
    assert_eq!(stored, json!(planted));
    // WebKit writes local storage to disk shortly after, not at once.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let found = app.close_and_find(&[planted]).await?;
    assert!(
        found.iter().any(|f| f.contains("holds a secret")),
        "the scan missed WebKit's storage: {found:?}"
    );
    Ok(())
}
