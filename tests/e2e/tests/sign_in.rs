//! Sign-in from the real window: the app opens the system browser (here a `$BROWSER` script
//! that records the URL), a scripted user agent completes the sign-in at a real OpenID Provider
//! (oidc-provider on loopback), and the window continues by itself.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[path = "../../../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use latchkey_core::auth::store::RefreshTokenStore;
use latchkey_e2e::{
    kept_refresh_token, opened_urls, recording_browser, write_config, App, Launch, Result,
};
use support::{is_listening, OidcProvider, ScriptedBrowser};

async fn launch(op: &OidcProvider, dir: &Path) -> Result<(App, PathBuf)> {
    let config = write_config(
        dir,
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\n\n[provider]\nkind = \"okta\"\nissuer = \"{}\"\nclient_id = \"latchkey\"\n\n[app]\nlanguage = \"en\"\nkeep_refresh_token = true\n",
            op.issuer
        ),
    )?;
    let (script, log) = recording_browser(dir)?;
    let app =
        App::launch(Launch::with_config(config).env("BROWSER", &script.display().to_string()))
            .await?;
    app.wait_for("[data-screen='home']").await?;
    app.click("[data-route='onboarding']").await?;
    app.wait_for("[data-screen='onboarding'][data-state='ready']")
        .await?;
    Ok((app, log))
}

/// Clicks "Sign in" (or "Try again") and returns the URL the browser was given, the `nth`
/// opening in this test.
async fn start_sign_in(app: &App, log: &Path, nth: usize) -> Result<String> {
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-state='waiting']").await?;
    Ok(opened_urls(log, nth).await?.remove(nth - 1))
}

fn redirect_port(url: &str) -> Result<u16> {
    let url = url::Url::parse(url)?;
    let redirect = url
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .ok_or("no redirect_uri")?
        .1
        .into_owned();
    Ok(url::Url::parse(&redirect)?.port().ok_or("no port")?)
}

#[tokio::test]
async fn sign_in_through_the_system_browser() -> Result<()> {
    // The session keyring is left as found, whatever happens below.
    let _forget = latchkey_e2e::ForgetKeptToken;
    let op = OidcProvider::start().await;
    let dir = tempfile::tempdir()?;
    let (app, log) = launch(&op, dir.path()).await?;
    app.screenshot("sign-in-ready-en").await?;
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-state='waiting']").await?;
    assert_eq!(app.text("h1").await?, "Continue in your browser…");
    let shown = app
        .wait_for("#sign-in-url")
        .await?
        .prop("value")
        .await?
        .ok_or("no URL shown")?;
    let opened = opened_urls(&log, 1).await?;
    assert_eq!(
        opened[0], shown,
        "the window shows the URL the browser was given"
    );
    assert!(shown.starts_with(&op.issuer), "{shown}");
    app.screenshot("sign-in-waiting-en").await?;

    // "Open the browser again" opens the same URL.
    app.click("[data-action='reopen']").await?;
    let opened = opened_urls(&log, 2).await?;
    assert_eq!(opened[1], shown);

    // The user signs in at the provider; the window continues by itself.
    let browser = ScriptedBrowser::default();
    browser.deliver(&shown).await;
    app.wait_for("[data-state='signed-in']").await?;
    assert_eq!(
        app.text("[data-testid='signed-in-as']").await?,
        "You are signed in as alice."
    );
    assert!(
        !is_listening(redirect_port(&shown)?).await,
        "loopback listener still open"
    );
    app.screenshot("sign-in-done-en").await?;
    // The configuration allows keeping the refresh token: it is in the OS keyring (this test
    // runs in its own session keyring, shared with the app it starts), and nowhere else.
    let keyring = kept_refresh_token();
    let refresh_token = keyring
        .load()?
        .ok_or("refresh token not kept in the keyring")?;
    // Nothing of the sign-in may be on disk or in the app's output: not the code or the state
    // the browser carried, not the refresh token (only the keyring may hold that).
    let callback = browser.log().callback.ok_or("no callback")?;
    let param = |name: &str| {
        callback
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (code, state) = (param("code"), param("state"));
    assert!(!code.is_empty() && !state.is_empty());
    let token = secrecy::ExposeSecret::expose_secret(&refresh_token).to_owned();
    let leaks = app.close_and_find(&[&code, &state, &token]).await?;
    assert!(leaks.is_empty(), "{leaks:?}");

    // Next run: the kept refresh token signs in silently, with no browser.
    let config = dir.path().join("okta.toml");
    let script = dir.path().join("browser.sh");
    let app =
        App::launch(Launch::with_config(config).env("BROWSER", &script.display().to_string()))
            .await?;
    app.click("[data-route='onboarding']").await?;
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-state='signed-in']").await?;
    assert_eq!(
        app.text("[data-testid='signed-in-as']").await?,
        "You are signed in as alice."
    );
    assert_eq!(
        opened_urls(&log, 2).await?.len(),
        2,
        "only the reopen of the first run"
    );
    // Sign out: back to the start of the journey, and the kept token is gone.
    app.click("[data-action='sign-out']").await?;
    app.wait_for("[data-state='ready'] [data-action='sign-in']")
        .await?;
    assert!(keyring.load()?.is_none(), "sign-out left the refresh token");
    app.close().await
}

#[tokio::test]
async fn cancel_frees_the_port_and_says_so() -> Result<()> {
    let op = OidcProvider::start().await;
    let dir = tempfile::tempdir()?;
    let (app, log) = launch(&op, dir.path()).await?;
    let url = start_sign_in(&app, &log, 1).await?;
    let port = redirect_port(&url)?;
    assert!(is_listening(port).await);
    app.click("[data-action='cancel']").await?;
    app.wait_for("[data-state='ready'] [data-testid='sign-in-error']")
        .await?;
    assert_eq!(
        app.text("[data-testid='sign-in-error']").await?,
        "Sign-in was cancelled. You can start again when you are ready."
    );
    assert!(!is_listening(port).await, "cancel left the port open");
    // The way forward: "Try again" starts a fresh sign-in on a new port.
    let again = start_sign_in(&app, &log, 2).await?;
    assert_ne!(redirect_port(&again)?, port);
    app.screenshot("sign-in-cancelled-retry-en").await?;
    app.close().await
}

#[tokio::test]
async fn a_cancel_at_the_provider_reads_as_a_cancel_with_a_way_forward() -> Result<()> {
    let op = OidcProvider::start().await;
    let dir = tempfile::tempdir()?;
    let (app, log) = launch(&op, dir.path()).await?;
    let url = start_sign_in(&app, &log, 1).await?;
    // The user cancels at the provider (the test provider answers login_hint=deny with
    // access_denied): a cancel, not a refusal that sends them to the helpdesk (issue 16).
    let denied = format!("{url}&login_hint=deny");
    ScriptedBrowser::default().deliver(&denied).await;
    app.wait_for("[data-testid='sign-in-error'][data-code='sign_in_cancelled']")
        .await?;
    assert_eq!(
        app.text("[data-testid='sign-in-error']").await?,
        "Sign-in was cancelled. You can start again when you are ready."
    );
    assert_eq!(app.text("[data-action='sign-in']").await?, "Try again");
    assert!(app
        .text("[data-testid='helpdesk']")
        .await?
        .contains("+1 425 555 0100"));
    app.screenshot("sign-in-cancelled-at-provider-en").await?;
    app.close().await
}

/// T13: no browser could be opened. The screen offers the link to copy and says so, and does
/// not tell the user to finish "in the browser window that opened".
#[tokio::test]
async fn without_a_browser_the_screen_offers_the_link() -> Result<()> {
    let op = OidcProvider::start().await;
    let dir = tempfile::tempdir()?;
    // A $BROWSER that does not exist (the webbrowser crate does not wait for one that does).
    let broken = dir.path().join("no-such-browser");
    let config = write_config(
        dir.path(),
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[provider]\nkind = \"okta\"\nissuer = \"{}\"\nclient_id = \"latchkey\"\n\n[app]\nlanguage = \"en\"\n",
            op.issuer
        ),
    )?;
    // Nothing else to open a browser with either (xdg-open, gio, sensible-browser…): a PATH
    // with only the WebDriver pair, as on a locked-down laptop without a browser.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin)?;
    for tool in ["tauri-driver", "WebKitWebDriver"] {
        let found = which(tool).ok_or(format!("{tool} is not on PATH"))?;
        std::os::unix::fs::symlink(found, bin.join(tool))?;
    }
    let app = App::launch(
        Launch::with_config(config)
            .env("BROWSER", &broken.display().to_string())
            .env("PATH", &bin.display().to_string()),
    )
    .await?;
    app.wait_for("[data-screen='home']").await?;
    app.click("[data-route='onboarding']").await?;
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-state='waiting']").await?;
    assert_eq!(app.text("h1").await?, "Sign in with this link");
    let screen = app.text("[data-screen='onboarding']").await?;
    assert!(!screen.contains("window that opened"), "{screen}");
    assert!(screen.contains("could not be opened"), "{screen}");
    let link = app
        .wait_for("#sign-in-url")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(link.starts_with(&op.issuer), "{link}");
    app.screenshot("sign-in-no-browser-en").await?;
    app.close().await
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(tool))
        .find(|path| path.is_file())
}
