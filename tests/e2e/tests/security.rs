//! The window's security baseline, checked in the real release window: the CSP blocks inline
//! and remote content, no global Tauri object, commands outside the capability are refused,
//! and the UI honours dark mode.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use latchkey_e2e::{example_config, App, Launch, Result};
use serde_json::json;

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
    // No request leaves for a remote host (connect-src), and no remote image loads (img-src).
    let fetched = app
        .client()
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               fetch('https://example.com/').then(() => done('fetched'), () => done('blocked'));"#,
            vec![],
        )
        .await?;
    assert_eq!(fetched, json!("blocked"));
    let image = app
        .client()
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const i = new Image();
               i.onload = () => done('loaded'); i.onerror = () => done('blocked');
               i.src = 'http://127.0.0.1:9/x.png';"#,
            vec![],
        )
        .await?;
    assert_eq!(image, json!("blocked"));
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
    for denied in [
        "plugin:window|close",
        "plugin:webview|create_webview_window",
        "plugin:event|emit",
        "no_such_command",
    ] {
        let answer = call(denied).await?;
        let text = answer.as_str().unwrap_or_default();
        assert!(text.starts_with("refused"), "{denied}: {answer}");
    }
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
