//! What the journey tests share: the app on an Okta configuration pointing at a fresh sandbox
//! tenant, and small helpers to fill fields and read the screen's state.
#![allow(dead_code)] // each test file uses its own part

#[allow(clippy::unwrap_used)]
#[path = "../../../../src-tauri/sandbox/tests/common/mod.rs"]
pub mod sandbox;

use latchkey_e2e::{opened_urls, recording_browser, write_config, App, Launch, Result};
use sandbox::{spawn, Tenant, REGISTERED};

pub const NEW_PASSWORD: &str = "Velvet-Otter-2026!";
pub const ANSWER: &str = "Biscuit";

pub struct Run {
    pub tenant: Tenant,
    pub app: App,
    pub dir: tempfile::TempDir,
}

/// The app on an Okta configuration pointing at a fresh sandbox tenant, on the home screen.
pub async fn launch(language: &str) -> Result<Run> {
    launch_with(language, "", &[]).await
}

/// The same with more `[app]` settings and more environment for the app.
pub async fn launch_with(language: &str, app_settings: &str, env: &[(&str, &str)]) -> Result<Run> {
    let tenant = spawn();
    let dir = tempfile::tempdir()?;
    let config = write_config(
        dir.path(),
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\n\n[provider]\nkind = \"okta\"\nissuer = \"{}\"\nclient_id = \"{}\"\n\n[app]\nlanguage = \"{language}\"\n{app_settings}\n",
            tenant.sandbox.issuer(),
            tenant.sandbox.client_id()
        ),
    )?;
    let (script, _log) = recording_browser(dir.path())?;
    let mut launch = Launch::with_config(config).env("BROWSER", &script.display().to_string());
    for (name, value) in env {
        launch = launch.env(name, value);
    }
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='home']").await?;
    Ok(Run { tenant, app, dir })
}

impl Run {
    /// Closes the window and opens the app again on the same tenant and configuration (what a
    /// restart or the next login does); a kept refresh token stays kept.
    pub async fn relaunch(self) -> Result<Run> {
        let Run { tenant, app, dir } = self;
        app.close().await?;
        let script = dir.path().join("browser.sh");
        let launch = Launch::with_config(dir.path().join("okta.toml"))
            .env("BROWSER", &script.display().to_string());
        let app = App::launch(launch).await?;
        app.wait_for("[data-screen='home']").await?;
        Ok(Run { tenant, app, dir })
    }

    /// Completes the `nth` browser sign-in the app has opened, as the user would in the browser.
    pub async fn finish_in_browser(
        &self,
        username: &str,
        password: &str,
        nth: usize,
    ) -> Result<String> {
        let log = self.dir.path().join("opened-urls");
        let authorize = opened_urls(&log, nth).await?.remove(nth - 1);
        let tx = self.tenant.sign_in_page(&authorize).await;
        let back = Tenant::callback(&self.tenant.submit(&tx, username, password, "sign_in").await);
        reqwest::get(back.as_str()).await?;
        Ok(authorize)
    }

    pub async fn step(&self, step: &str) -> Result<()> {
        self.app
            .wait_for(&format!("[data-screen='reset'][data-step='{step}']"))
            .await?;
        Ok(())
    }

    /// Types into a field after clearing it.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        self.app.fill(css, text).await
    }

    /// Waits for the error with `code`: an earlier error may still be on screen until the
    /// answer to the last action replaces it, so waiting for any error would race.
    pub async fn expect_error(&self, code: &str) -> Result<()> {
        self.app
            .wait_for(&format!("[data-testid='reset-error'][data-code='{code}']"))
            .await?;
        Ok(())
    }

    pub async fn value(&self, css: &str) -> Result<String> {
        Ok(self
            .app
            .wait_for(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    pub async fn start_reset(&self) -> Result<()> {
        self.app.click("[data-route='reset']").await?;
        self.step("start").await?;
        self.fill("#reset-username", REGISTERED).await?;
        self.app.click("[data-action='send-code']").await?;
        self.step("code").await
    }
}

impl Run {
    /// Signs `username` in from the onboarding entry: the app opens the "browser" (a script that
    /// records the URL), the user signs in on the tenant's page, the window continues by itself.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        nth_browser_opening: usize,
    ) -> Result<()> {
        self.app.click("[data-route='onboarding']").await?;
        self.app.click("[data-action='sign-in']").await?;
        let log = self.dir.path().join("opened-urls");
        let authorize = opened_urls(&log, nth_browser_opening)
            .await?
            .remove(nth_browser_opening - 1);
        let tx = self.tenant.sign_in_page(&authorize).await;
        let back = Tenant::callback(&self.tenant.submit(&tx, username, password, "sign_in").await);
        reqwest::get(back.as_str()).await?;
        self.app.wait_for("[data-state='signed-in']").await?;
        Ok(())
    }
}
