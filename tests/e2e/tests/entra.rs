//! The Entra adapter in the real window, against the sandbox tenant in its Entra flavour
//! (Microsoft identity platform v2.0 paths, Graph v1.0, the stand-ins for My Sign-ins and the
//! SSPR portal): onboarding by hand-off with a phone and an e-mail, change password, the portal
//! hand-off with the opened URL checked, and the expiry reminder on the right day after the
//! tenant's clock moves. A privacy scan ends each run.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod journey;

use journey::sandbox::{seed_with, spawn_with, Tenant, NEW_USER, PASSWORD, REGISTERED};
use latchkey_e2e::{
    kept_refresh_token, opened_urls, recording_browser, write_config, App, Launch, Result,
};
use latchkey_sandbox::Seed;

const NEW_PASSWORD: &str = "Velvet-Otter-2026!";

struct EntraRun {
    tenant: Tenant,
    app: App,
    dir: tempfile::TempDir,
}

/// The app on an Entra configuration whose endpoints are the sandbox's.
async fn launch(seed: Seed, args: &[&str], portal: Option<&str>) -> Result<EntraRun> {
    launch_in("en", seed, args, portal).await
}

async fn launch_in(
    language: &str,
    seed: Seed,
    args: &[&str],
    portal: Option<&str>,
) -> Result<EntraRun> {
    launch_with(language, seed, args, portal, "").await
}

/// The same with more `[app]` settings.
async fn launch_with(
    language: &str,
    seed: Seed,
    args: &[&str],
    portal: Option<&str>,
    app_settings: &str,
) -> Result<EntraRun> {
    let tenant = spawn_with(seed);
    let dir = tempfile::tempdir()?;
    let base = tenant.sandbox.base_url().to_owned();
    let portal = portal.map_or_else(|| format!("{base}/passwordreset/"), str::to_owned);
    let config = write_config(
        dir.path(),
        "entra.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\n\n\
[provider]\nkind = \"entra\"\ntenant = \"contoso.example\"\nclient_id = \"{}\"\n\
authority_host = \"{base}\"\ngraph_endpoint = \"{base}/v1.0/\"\n\
security_info_url = \"{base}/mysignins/security-info\"\nreset_portal_url = \"{portal}\"\n\n\
[app]\nlanguage = \"{language}\"\n{app_settings}\n\n[policy]\nenabled_for = \"all\"\nmethods_allowed = [\"email\", \"mobile_phone\"]\nmethods_required = 2\n\
registration_required = true\nreconfirm_days = 180\nnotify_on_reset = true\n",
            tenant.sandbox.client_id()
        ),
    )?;
    let (script, _log) = recording_browser(dir.path())?;
    let mut launch = Launch::with_config(config).env("BROWSER", &script.display().to_string());
    launch.args = args.iter().map(|a| (*a).to_owned()).collect();
    let app = App::launch(launch).await?;
    Ok(EntraRun { tenant, app, dir })
}

impl EntraRun {
    fn log(&self) -> std::path::PathBuf {
        self.dir.path().join("opened-urls")
    }

    /// Signs in from the home screen's `route` entry on the sandbox's Microsoft-style page.
    async fn sign_in(&self, route: &str, username: &str, password: &str) -> Result<()> {
        self.app.wait_for("[data-screen='home']").await?;
        self.app.click(&format!("[data-route='{route}']")).await?;
        self.app.click("[data-action='sign-in']").await?;
        let authorize = opened_urls(&self.log(), 1).await?.remove(0);
        assert!(
            authorize.contains("/contoso.example/oauth2/v2.0/authorize?"),
            "{authorize}"
        );
        assert!(
            authorize.contains("redirect_uri=http%3A%2F%2Flocalhost%3A"),
            "{authorize}"
        );
        assert!(
            authorize.contains("UserAuthenticationMethod.ReadWrite"),
            "{authorize}"
        );
        let tx = self.tenant.sign_in_page(&authorize).await;
        let back = Tenant::callback(&self.tenant.submit(&tx, username, password, "sign_in").await);
        assert_eq!(back.host_str(), Some("localhost"));
        reqwest::get(back.as_str()).await?;
        self.app.wait_for("[data-state='signed-in']").await?;
        Ok(())
    }

    async fn fill(&self, css: &str, text: &str) -> Result<()> {
        self.app.fill(css, text).await
    }

    /// Waits for the error with `code` (an earlier one may still be on screen until then).
    async fn expect_error(&self, code: &str) -> Result<()> {
        self.app
            .wait_for(&format!("[data-testid='reset-error'][data-code='{code}']"))
            .await?;
        Ok(())
    }
}

#[tokio::test]
async fn onboarding_hands_off_to_security_info_and_ticks_progress() -> Result<()> {
    let run = launch(Seed::demo(), &[], None).await?;
    run.sign_in("onboarding", NEW_USER, PASSWORD).await?;
    run.app.click("[data-action='continue']").await?;
    run.app
        .wait_for("[data-screen='register'][data-step='handoff'] [data-testid='progress'][data-complete='false']")
        .await?;
    assert!(run
        .app
        .text("[data-testid='registered']")
        .await?
        .contains("Nothing"));
    run.app.screenshot("entra-handoff-en").await?;
    run.app.click("[data-action='open-handoff']").await?;
    let opened = opened_urls(&run.log(), 2).await?;
    assert_eq!(opened[1], run.tenant.url("/mysignins/security-info"));
    run.app.wait_for("[data-testid='handoff-opened']").await?;

    // The user adds a phone and an e-mail on Microsoft's page; the window sees them by itself.
    let added = run
        .tenant
        .http
        .post(run.tenant.url("/mysignins/security-info"))
        .form(&[
            ("username", NEW_USER),
            ("password", PASSWORD),
            ("phone", "+33 6 12 34 56 78"),
            ("email", "nina.maison@example.net"),
        ])
        .send()
        .await?;
    assert!(added.status().is_success());
    run.app
        .wait_for("[data-testid='progress'][data-complete='true']")
        .await?;
    let registered = run.app.text("[data-testid='registered']").await?;
    assert!(
        registered.contains("+33 •• •• •• •• 78") && registered.contains("n•••@example.net"),
        "{registered}"
    );
    run.app.screenshot("entra-handoff-complete-en").await?;
    // Removing asks once more, then Graph deletes the phone and the progress goes back.
    run.app
        .click("[data-kind='phone'] [data-action='remove']")
        .await?;
    run.app
        .wait_for("[data-kind='phone'] [data-action='remove'][data-armed='true']")
        .await?;
    run.app
        .click("[data-kind='phone'] [data-action='remove']")
        .await?;
    run.app
        .wait_for("[data-testid='progress'][data-complete='false']")
        .await?;
    assert!(!run
        .app
        .text("[data-testid='registered']")
        .await?
        .contains("+33"));
    let found = run
        .app
        .close_and_find(&[PASSWORD, "nina.maison@example.net", "+33612345678"])
        .await?;
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}

#[tokio::test]
async fn change_password_keeps_what_was_typed_and_explains_refusals() -> Result<()> {
    let run = launch(Seed::demo(), &[], None).await?;
    run.sign_in("change", NEW_USER, PASSWORD).await?;
    run.app.click("[data-action='continue']").await?;
    run.app
        .wait_for("[data-screen='change-password'][data-step='form']")
        .await?;
    // Unicode: the rule says so while typing, and nothing is sent to Graph.
    run.fill("#current-password", PASSWORD).await?;
    run.fill("#new-password", "Vélvet-Otter-2026").await?;
    run.app.screenshot("entra-change-unicode-en").await?;
    run.app.click("[data-action='set-password']").await?;
    run.expect_error("password_rejected").await?;
    assert_eq!(
        run.app
            .wait_for("#new-password")
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("Vélvet-Otter-2026")
    );
    // A wrong current password, then the right one.
    run.fill("#current-password", "not-my-password").await?;
    run.fill("#new-password", NEW_PASSWORD).await?;
    run.app.click("[data-action='set-password']").await?;
    run.expect_error("current_password_wrong").await?;
    run.fill("#current-password", PASSWORD).await?;
    run.app.click("[data-action='set-password']").await?;
    run.app
        .wait_for("[data-screen='change-password'][data-step='done']")
        .await?;
    run.app.screenshot("entra-change-done-en").await?;
    // The tenant now takes the new password, and only it.
    let tokens = run
        .tenant
        .sign_in_as(NEW_USER, NEW_PASSWORD, "openid")
        .await;
    assert!(tokens["access_token"].is_string());
    let found = run
        .app
        .close_and_find(&[PASSWORD, NEW_PASSWORD, "not-my-password"])
        .await?;
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}

#[tokio::test]
async fn forgot_password_opens_the_sspr_portal_with_the_username() -> Result<()> {
    // In French: Microsoft's pages then open in French too (`mkt=fr-FR`).
    let run = launch_in("fr", Seed::demo(), &["--forgot-password"], None).await?;
    run.app
        .wait_for("[data-screen='reset'][data-step='start']")
        .await?;
    run.fill("#reset-username", REGISTERED).await?;
    run.app.click("[data-action='open-portal']").await?;
    run.app
        .wait_for("[data-screen='reset'][data-step='portal']")
        .await?;
    let opened = opened_urls(&run.log(), 1).await?;
    let expected = run
        .tenant
        .url("/passwordreset/?username=rafael.registered%40contoso.example&mkt=fr-FR");
    assert_eq!(opened[0], expected);
    assert_eq!(
        run.app
            .wait_for("#portal-url")
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some(expected.as_str())
    );
    // The stand-in portal shows the username filled in, as Microsoft's does.
    let page = reqwest::get(&opened[0]).await?.text().await?;
    assert!(page.contains("value=\"rafael.registered@contoso.example\""));
    assert!(run.app.text("h1").await?.contains("navigateur"), "French");
    run.app.screenshot("entra-portal-fr").await?;
    run.app.close().await?;

    // A portal that does not answer gets the offline screen at once (the check starts with the
    // process), not a dead browser tab.
    let offline = launch(
        Seed::demo(),
        &["--forgot-password"],
        Some("http://127.0.0.1:9/passwordreset/"),
    )
    .await?;
    offline
        .app
        .wait_for("[data-screen='reset'][data-step='offline']")
        .await?;
    assert!(
        opened_urls(&offline.log(), 1).await.is_err(),
        "nothing opened"
    );
    offline.app.close().await?;
    Ok(())
}

#[tokio::test]
async fn the_expiry_reminder_comes_on_the_right_day() -> Result<()> {
    // Rafael's password changed 60 days before the tenant's today; passwords last 90 days and
    // the reminder window is 14: no reminder today, one 17 days later (13 days left).
    let changed = (chrono::Utc::now() - chrono::Duration::days(60))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let seed = seed_with(
        "password_changed = \"2026-09-01T09:00:00Z\"\nregistered",
        &format!("password_changed = \"{changed}\"\nregistered"),
    );
    let run = launch(seed, &[], None).await?;
    run.sign_in("change", REGISTERED, PASSWORD).await?;
    let notice = run.app.wait_for("[data-testid='expiry']").await?;
    assert_eq!(notice.attr("data-days-left").await?.as_deref(), Some("30"));
    assert_eq!(notice.attr("data-remind").await?.as_deref(), Some("false"));
    // 17 days pass at the tenant. The access token has expired there: the app refreshes once,
    // silently, and asks again.
    run.tenant.advance_clock(17 * 86_400).await;
    run.app.click("[data-action='continue']").await?;
    let notice = run
        .app
        .wait_for("[data-screen='change-password'] [data-testid='expiry'][data-remind='true']")
        .await?;
    assert_eq!(notice.attr("data-days-left").await?.as_deref(), Some("13"));
    assert!(notice.text().await?.contains("13 days"));
    run.app.screenshot("entra-expiry-reminder-en").await?;
    run.app.close().await?;
    Ok(())
}

#[tokio::test]
async fn the_demo_build_plays_entra_with_the_example_configuration() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (script, log) = recording_browser(dir.path())?;
    let launch = Launch::with_config(latchkey_e2e::example_config("sandbox-entra.toml"))
        .locale("en_US.UTF-8")
        .env("BROWSER", &script.display().to_string());
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='home'] [data-testid='demo-banner']")
        .await?;
    app.click("[data-route='onboarding']").await?;
    app.click("[data-action='sign-in']").await?;
    let authorize = opened_urls(&log, 1).await?.remove(0);
    assert!(
        authorize.contains("/contoso.example/oauth2/v2.0/authorize?"),
        "{authorize}"
    );
    let page = reqwest::get(&authorize).await?;
    assert!(page.status().is_success());
    assert!(
        page.text().await?.contains("name=\"tx\""),
        "the embedded tenant's sign-in page"
    );
    app.click("[data-action='cancel']").await?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn missing_admin_consent_is_named_with_microsofts_code() -> Result<()> {
    let run = launch(Seed::demo(), &[], None).await?;
    let set = run
        .tenant
        .http
        .post(run.tenant.url("/sandbox/aadsts"))
        .body(format!("{{\"username\":\"{NEW_USER}\",\"code\":65001}}"))
        .send()
        .await?;
    assert!(set.status().is_success());
    run.app.wait_for("[data-screen='home']").await?;
    run.app.click("[data-route='onboarding']").await?;
    run.app.click("[data-action='sign-in']").await?;
    let authorize = opened_urls(&run.log(), 1).await?.remove(0);
    let tx = run.tenant.sign_in_page(&authorize).await;
    let back = Tenant::callback(&run.tenant.submit(&tx, NEW_USER, PASSWORD, "sign_in").await);
    reqwest::get(back.as_str()).await?;
    run.app
        .wait_for("[data-testid='sign-in-error'][data-code='consent_required']")
        .await?;
    assert_eq!(
        run.app
            .text("[data-testid='sign-in-error-details']")
            .await?,
        "AADSTS65001"
    );
    run.app.wait_for("[data-action='sign-in']").await?;
    run.app.screenshot("entra-consent-required-en").await?;
    run.app.close().await?;
    Ok(())
}

#[tokio::test]
async fn the_login_reminder_opens_only_when_the_password_expires_soon() -> Result<()> {
    // The session keyring is left as found, whatever happens below.
    let _forget = latchkey_e2e::ForgetKeptToken;
    use latchkey_core::auth::store::RefreshTokenStore;
    // Nina's password changed 10 days ago (80 left), Rafael's 80 days ago (10 left, inside the
    // 14-day window).
    let ago = |days: i64| {
        (chrono::Utc::now() - chrono::Duration::days(days))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let text = latchkey_sandbox::seed::DEMO_SEED
        .replace(
            "password_changed = \"2026-09-01T09:00:00Z\"\nregistered",
            &format!("password_changed = \"{}\"\nregistered", ago(80)),
        )
        .replace(
            "password_changed = \"2026-09-01T09:00:00Z\"\n",
            &format!("password_changed = \"{}\"\n", ago(10)),
        );
    for (user, expected_exit) in [(NEW_USER, 0), (REGISTERED, 1)] {
        let seed = Seed::parse(&text).map_err(|e| e.to_string())?;
        let run = launch_with("en", seed, &[], None, "keep_refresh_token = true").await?;
        run.sign_in("change", user, PASSWORD).await?;
        // The tenant stays up for the reminder; only the window goes.
        let EntraRun {
            tenant: _tenant,
            app,
            dir,
        } = run;
        app.close().await?;
        let started = std::time::Instant::now();
        let out = std::process::Command::new(latchkey_e2e::app_binary())
            .arg("--remind-expiry")
            .arg("--config")
            .arg(dir.path().join("entra.toml"))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()?;
        let took = started.elapsed();
        // 0: nothing due, no window. 1: the window was wanted, and this test has no display.
        assert_eq!(
            out.status.code(),
            Some(expected_exit),
            "{user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if expected_exit == 1 {
            assert!(String::from_utf8_lossy(&out.stderr).contains("no display"));
        }
        assert!(
            took < std::time::Duration::from_secs(4),
            "{user}: took {took:?}"
        );
        // The kept token is this test's; leave the session keyring as it was.
        let _ = kept_refresh_token().delete();
    }
    Ok(())
}
