//! Forgot password in the real window against the sandbox tenant (the Okta adapter over loopback
//! HTTP), in English and French, reading the codes from the tenant's outbox: the two-method reset,
//! then sign-in with the new password; wrong, expired and spent codes, a rate limit, a refused
//! password; and the whole reset with the keyboard alone.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod journey;

use fantoccini::key::Key;
use journey::sandbox::{wrong, Tenant, PASSWORD, REGISTERED, REGISTERED_EMAIL, REGISTERED_PHONE};
use journey::{launch, launch_with, Run, ANSWER, NEW_PASSWORD};
use latchkey_e2e::{opened_urls, App, Result};

/// The two-method reset (SMS code, then the recovery question), with a wrong code, a wrong answer
/// and a refused password on the way, in one language; screenshots of every screen.
async fn reset_journey(language: &str) -> Result<Run> {
    let run = launch(language).await?;
    let shot = |name: &str| format!("reset-{name}-{language}");
    run.app.click("[data-route='reset']").await?;
    run.step("start").await?;
    run.app.screenshot(&shot("start")).await?;
    run.fill("#reset-username", REGISTERED).await?;
    run.app.click("[data-action='send-code']").await?;
    run.step("code").await?;
    run.app.screenshot(&shot("code")).await?;

    let code = run.tenant.last_code(REGISTERED_PHONE).await;
    run.fill("#reset-code", &wrong(&code)).await?;
    run.app.click("[data-action='verify']").await?;
    run.expect_error("code_wrong").await?;
    assert_eq!(
        run.value("#reset-code").await?,
        wrong(&code),
        "what was typed is kept"
    );
    run.app.screenshot(&shot("code-wrong")).await?;
    run.fill("#reset-code", &code).await?;
    run.app.click("[data-action='verify']").await?;

    run.step("question").await?;
    assert_eq!(
        run.app.text("[data-testid='question']").await?,
        "What is the name of your first pet?"
    );
    run.fill("#reset-answer", "Rex").await?;
    run.app.click("[data-action='answer']").await?;
    run.expect_error("answer_wrong").await?;
    run.app.screenshot(&shot("question-wrong")).await?;
    run.fill("#reset-answer", ANSWER).await?;
    run.app.click("[data-action='answer']").await?;

    run.step("new-password").await?;
    // Rules tick live as the password is typed.
    run.fill("#new-password", "rafael").await?;
    let met = run
        .app
        .client()
        .execute(
            "return [...document.querySelectorAll('#password-rules li')].map(li => li.dataset.met)",
            vec![],
        )
        .await?;
    assert_eq!(
        met,
        serde_json::json!(["false", "true", "false", "false", "false", "unknown"])
    );
    run.fill("#new-password", "Password-2027").await?;
    run.app.click("[data-action='set-password']").await?;
    run.expect_error("password_rejected").await?;
    let reasons = run.app.text("[data-testid='provider-reasons']").await?;
    assert!(reasons.contains("commonly used"), "{reasons}");
    assert_eq!(run.value("#new-password").await?, "Password-2027");
    run.app.screenshot(&shot("password-rejected")).await?;
    run.fill("#new-password", NEW_PASSWORD).await?;
    run.app.click("[data-action='show-password']").await?;
    assert_eq!(
        run.app
            .wait_for("#new-password")
            .await?
            .attr("type")
            .await?
            .as_deref(),
        Some("text")
    );
    // The strength meter loads its dictionaries on first use. zxcvbn scores this password 4 of
    // 4 (and "Password-2027" 2): the meter and its words must say so, in the window's language.
    run.app
        .wait_for("[data-testid='strength']:not(:empty)")
        .await?;
    let strength = run.app.text("[data-testid='strength']").await?;
    let expected = if language == "fr" {
        "Très fort"
    } else {
        "Very strong"
    };
    assert_eq!(strength, expected);
    let meter = run
        .app
        .client()
        .execute(
            "return document.getElementById('strength-meter').value",
            vec![],
        )
        .await?;
    assert_eq!(meter, serde_json::json!(4));
    run.app.screenshot(&shot("password")).await?;
    run.app.click("[data-action='set-password']").await?;
    run.step("done").await?;
    run.app.screenshot(&shot("done")).await?;
    // The tenant told the user's recovery address.
    let notices = run.tenant.outbox(REGISTERED_EMAIL).await;
    assert!(notices.iter().any(|m| m["subject"]
        .as_str()
        .unwrap_or_default()
        .contains("password was reset")));
    Ok(run)
}

#[tokio::test]
async fn reset_with_two_methods_then_sign_in_with_the_new_password() -> Result<()> {
    let run = reset_journey("en").await?;
    assert_eq!(run.app.text("h1").await?, "Your password has been reset");
    // Sign in through the app with the new password; the old one no longer works.
    run.app.click("[data-action='home']").await?;
    run.app.click("[data-route='onboarding']").await?;
    run.app.click("[data-action='sign-in']").await?;
    let log = run.dir.path().join("opened-urls");
    let authorize = opened_urls(&log, 1).await?.remove(0);
    let tx = run.tenant.sign_in_page(&authorize).await;
    let refused = run
        .tenant
        .submit(&tx, REGISTERED, PASSWORD, "sign_in")
        .await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNAUTHORIZED);
    let back = Tenant::callback(
        &run.tenant
            .submit(&tx, REGISTERED, NEW_PASSWORD, "sign_in")
            .await,
    );
    reqwest::get(back.as_str()).await?;
    run.app.wait_for("[data-state='signed-in']").await?;
    assert_eq!(
        run.app.text("[data-testid='signed-in-as']").await?,
        "You are signed in as Rafael Registered."
    );

    let codes: Vec<String> = run
        .tenant
        .outbox(REGISTERED_PHONE)
        .await
        .iter()
        .filter_map(|m| m["code"].as_str().map(str::to_owned))
        .collect();
    let mut secrets: Vec<&str> = vec![
        NEW_PASSWORD,
        PASSWORD,
        ANSWER,
        REGISTERED_PHONE,
        REGISTERED_EMAIL,
        "+1 425 555 0123",
    ];
    secrets.extend(codes.iter().map(String::as_str));
    // And every token the tenant handed out: state tokens, and the sign-in's tokens.
    let issued = run.tenant.issued().await;
    assert!(!issued.is_empty(), "the reset ran on state tokens");
    secrets.extend(issued.iter().map(String::as_str));
    let leaks = run.app.close_and_find(&secrets).await?;
    assert!(leaks.is_empty(), "{leaks:?}");
    Ok(())
}

#[tokio::test]
async fn reset_in_french() -> Result<()> {
    let run = reset_journey("fr").await?;
    assert_eq!(
        run.app.text("h1").await?,
        "Votre mot de passe a été réinitialisé"
    );
    run.app.close().await
}

#[tokio::test]
async fn expired_code_rate_limit_and_spent_code() -> Result<()> {
    let run = launch("en").await?;
    run.start_reset().await?;
    let code = run.tenant.last_code(REGISTERED_PHONE).await;
    // The resend waits for its countdown.
    assert!(run
        .app
        .wait_for("[data-action='resend']")
        .await?
        .attr("disabled")
        .await?
        .is_some());
    run.tenant.advance_clock(601).await;
    run.fill("#reset-code", &code).await?;
    run.app.click("[data-action='verify']").await?;
    // Okta documents one refusal of a recovery code (403 E0000068, authn-recovery.json): an
    // expired code is told as a wrong one.
    run.expect_error("code_wrong").await?;
    run.app.screenshot("reset-code-expired-en").await?;
    // After the error a new code may be asked for; a second one at once is rate limited.
    run.tenant.advance_clock(31).await;
    run.app.click("[data-action='resend']").await?;
    run.step("code").await?;
    run.app.wait_for("[data-action='resend'][disabled]").await?;
    run.fill("#reset-code", "000000").await?;
    run.app.click("[data-action='verify']").await?;
    run.app.wait_for("[data-testid='reset-error']").await?;
    run.app.click("[data-action='switch']").await?;
    run.expect_error("rate_limited").await?;
    // The wait is the provider's: what is left of the 30 s resend interval, a second or two
    // gone by now (the UI's own fallback would say 60).
    let text = run.app.text("[data-testid='reset-error']").await?;
    let seconds: u32 = text
        .split_once("Wait ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((25..=30).contains(&seconds), "{text}");
    run.app.screenshot("reset-rate-limited-en").await?;
    // Wrong codes until the code is spent: the fifth ends Okta's transaction, the next try is
    // its expired state token (401 E0000011), and the reset starts over, the username kept.
    let code = run.tenant.last_code(REGISTERED_PHONE).await;
    for _ in 0..6 {
        if run
            .app
            .client()
            .find(fantoccini::Locator::Css("[data-step='start']"))
            .await
            .is_ok()
        {
            break;
        }
        run.fill("#reset-code", &wrong(&code)).await?;
        run.app.click("[data-action='verify']").await?;
        run.app.wait_for("[data-testid='reset-error']").await?;
    }
    run.step("start").await?;
    run.expect_error("session_expired").await?;
    assert_eq!(run.value("#reset-username").await?, REGISTERED);
    run.app.close().await
}

#[tokio::test]
async fn the_whole_reset_with_the_keyboard_alone() -> Result<()> {
    // The username is suggested from the OS account and the configured domain.
    let run = launch_with(
        "en",
        "username_domain = \"contoso.example\"",
        &[("USER", "rafael.registered")],
    )
    .await?;
    let app = &run.app;
    // Home: Tab to "Forgot password", Enter.
    app.press(Key::Tab).await?;
    app.press(Key::Tab).await?;
    assert_eq!(
        app.focused_attr("data-route").await?.as_deref(),
        Some("reset")
    );
    app.press(Key::Enter).await?;
    run.step("start").await?;
    // Tab into the username, already suggested; Enter submits (SMS is preselected).
    app.press(Key::Tab).await?;
    assert_eq!(
        app.focused_attr("id").await?.as_deref(),
        Some("reset-username")
    );
    assert_eq!(
        run.value("#reset-username").await?,
        REGISTERED,
        "the suggestion is the OS account at the configured domain"
    );
    app.press(Key::Enter).await?;
    run.step("code").await?;
    let code = run.tenant.last_code(REGISTERED_PHONE).await;
    app.press(Key::Tab).await?;
    assert_eq!(app.focused_attr("id").await?.as_deref(), Some("reset-code"));
    type_keys(app, &code).await?;
    app.press(Key::Enter).await?;
    run.step("question").await?;
    app.press(Key::Tab).await?;
    assert_eq!(
        app.focused_attr("id").await?.as_deref(),
        Some("reset-answer")
    );
    type_keys(app, ANSWER).await?;
    app.press(Key::Enter).await?;
    run.step("new-password").await?;
    app.press(Key::Tab).await?;
    assert_eq!(
        app.focused_attr("id").await?.as_deref(),
        Some("new-password")
    );
    type_keys(app, NEW_PASSWORD).await?;
    app.press(Key::Enter).await?;
    run.step("done").await?;
    app.press(Key::Tab).await?;
    assert_eq!(
        app.focused_attr("data-action").await?.as_deref(),
        Some("home")
    );
    app.press(Key::Enter).await?;
    app.wait_for("[data-screen='home']").await?;
    run.app.close().await
}

/// Types into whatever has focus, as a keyboard would.
async fn type_keys(app: &App, text: &str) -> Result<()> {
    let focused = app.client().active_element().await?;
    focused.send_keys(text).await?;
    Ok(())
}
