//! `latchkey --demo`: the app starts the embedded sandbox tenant, shows its demo users, opens its
//! outbox, and signs a demo user in through the tenant's own sign-in page.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::process::Command;

use latchkey_e2e::{app_binary, opened_urls, recording_browser, App, Launch, Result};
use reqwest::{redirect, Client, StatusCode};

const USER: &str = "nina.new@contoso.example";
const PASSWORD: &str = "Sandbox-Start-2026";

fn no_redirects() -> Result<Client> {
    Ok(Client::builder()
        .redirect(redirect::Policy::none())
        .build()?)
}

#[test]
fn demo_is_a_flag_of_demo_builds_and_excludes_config() -> Result<()> {
    let help = Command::new(app_binary()).arg("--help").output()?;
    assert!(String::from_utf8_lossy(&help.stdout).contains("--demo"));
    let both = Command::new(app_binary())
        .args(["--demo", "--config", "/etc/latchkey/config.toml"])
        .output()?;
    assert_eq!(both.status.code(), Some(2));
    Ok(())
}

#[tokio::test]
async fn demo_mode_shows_the_tenant_opens_the_outbox_and_signs_in() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (script, log) = recording_browser(dir.path())?;
    let mut launch = Launch::default()
        .locale("en_US.UTF-8")
        .env("BROWSER", &script.display().to_string());
    launch.args.push("--demo".into());
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='home'] [data-testid='demo-banner']")
        .await?;
    let banner = app.text("[data-testid='demo-banner']").await?;
    assert!(banner.contains(USER), "{banner}");
    assert!(banner.contains("rafael.registered@contoso.example: phone and e-mail registered"));
    assert_eq!(
        app.text("[data-testid='organisation']").await?,
        "Contoso (sandbox)"
    );
    app.screenshot("home-demo-en").await?;

    // The outbox opens in the browser and is served by the running tenant.
    app.click("[data-testid='open-outbox']").await?;
    let outbox = opened_urls(&log, 1).await?.remove(0);
    assert!(
        outbox.starts_with("http://127.0.0.1:") && outbox.ends_with("/outbox"),
        "{outbox}"
    );
    let http = no_redirects()?;
    let page = http.get(&outbox).send().await?;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await?.contains("Outbox"));

    // Sign in as the new demo user on the tenant's own page.
    app.click("[data-route='onboarding']").await?;
    app.wait_for("[data-screen='onboarding'][data-state='ready']")
        .await?;
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-state='waiting']").await?;
    let authorize = opened_urls(&log, 2).await?.remove(1);
    let base = outbox.trim_end_matches("/outbox");
    assert!(
        authorize.starts_with(&format!("{base}/oauth2/default/v1/authorize?")),
        "{authorize}"
    );
    let html = http.get(&authorize).send().await?.text().await?;
    assert!(html.contains("Demo users"));
    let start = html.find("name=\"tx\" value=\"").ok_or("no tx")? + 17;
    let tx = &html[start..start + html[start..].find('"').ok_or("no end")?];
    let back = http
        .post(format!("{base}/oauth2/default/v1/authorize"))
        .form(&[
            ("tx", tx),
            ("username", USER),
            ("password", PASSWORD),
            ("action", "sign_in"),
        ])
        .send()
        .await?;
    assert_eq!(back.status(), StatusCode::FOUND);
    let callback = back.headers()["location"].to_str()?.to_owned();
    let landed = http.get(&callback).send().await?;
    assert!(landed.status().is_success(), "{}", landed.status());
    app.wait_for("[data-state='signed-in']").await?;
    assert_eq!(
        app.text("[data-testid='signed-in-as']").await?,
        "You are signed in as Nina New."
    );
    app.screenshot("sign-in-done-demo-en").await?;
    // Onboarding continues against the embedded tenant's MyAccount API.
    app.click("[data-action='continue']").await?;
    app.wait_for("[data-screen='register'][data-step='summary'] [data-action='add-phone']")
        .await?;
    assert_eq!(
        app.text("[data-testid='registered']").await?,
        "Nothing is registered yet."
    );

    let url = url::Url::parse(&callback)?;
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (code, state) = (param("code"), param("state"));
    assert!(!code.is_empty() && !state.is_empty());
    let leaks = app.close_and_find(&[&code, &state, PASSWORD]).await?;
    assert!(leaks.is_empty(), "{leaks:?}");
    Ok(())
}
