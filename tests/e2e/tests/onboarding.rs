//! Onboarding in the real window against the sandbox tenant, in English and French: a new user
//! signs in, sees what the organisation requires, registers a phone and a recovery e-mail with the
//! codes from the tenant's outbox; then forgets the password, resets it with the new phone and
//! signs in with the new password. A privacy scan ends each run.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod journey;

use journey::sandbox::{wrong, NEW_USER, PASSWORD, REGISTERED, REGISTERED_EMAIL, REGISTERED_PHONE};
use journey::{launch, Run, NEW_PASSWORD};
use latchkey_core::auth::store::RefreshTokenStore;
use latchkey_e2e::{kept_refresh_token, Result};

const PHONE_E164: &str = "+33612345678";
const EMAIL: &str = "nina.maison@example.net";

/// Registers a phone (after a refused number and a wrong code) and an e-mail; screenshots.
async fn onboard(run: &Run, language: &str, typed_number: &str) -> Result<Vec<String>> {
    let shot = |name: &str| format!("onboarding-{name}-{language}");
    run.sign_in(NEW_USER, PASSWORD, 1).await?;
    run.app.click("[data-action='continue']").await?;
    run.app
        .wait_for("[data-screen='register'][data-step='summary']")
        .await?;
    // The policy's two methods, with the organisation's name, in the window's language.
    let requirement = run.app.text("[data-testid='requirement']").await?;
    let expected = if language == "fr" {
        "Contoso demande 2 méthodes de récupération différentes, chacune confirmée par un code."
    } else {
        "Contoso asks for 2 different recovery methods, each confirmed with a code."
    };
    assert_eq!(requirement, expected);
    run.app.screenshot(&shot("summary")).await?;

    run.app.click("[data-action='add-phone']").await?;
    run.app.wait_for("[data-step='phone']").await?;
    run.fill("#phone-number", "06 12").await?;
    run.app.click("[data-action='send-code']").await?;
    run.expect_error("phone_refused").await?;
    assert_eq!(run.value("#phone-number").await?, "06 12");
    run.app.screenshot(&shot("phone-refused")).await?;
    run.fill("#phone-number", typed_number).await?;
    run.app.screenshot(&shot("phone")).await?;
    run.app.click("[data-action='send-code']").await?;
    run.app.wait_for("[data-step='confirm']").await?;
    assert!(run
        .app
        .text("[data-testid='sent-to']")
        .await?
        .contains("+33 •• •• •• •• 78"));
    run.app.screenshot(&shot("phone-code")).await?;
    let phone_code = run.tenant.last_code(PHONE_E164).await;
    run.fill("#register-code", &wrong(&phone_code)).await?;
    run.app.click("[data-action='confirm']").await?;
    run.expect_error("code_wrong").await?;
    run.fill("#register-code", &phone_code).await?;
    run.app.click("[data-action='confirm']").await?;
    run.app
        .wait_for("[data-step='summary'] [data-kind='phone']")
        .await?;
    run.app.screenshot(&shot("summary-phone")).await?;

    run.app.click("[data-action='add-email']").await?;
    run.app.wait_for("[data-step='email']").await?;
    run.fill("#email-address", EMAIL).await?;
    run.app.click("[data-action='send-code']").await?;
    run.app.wait_for("[data-step='confirm']").await?;
    let email_code = run.tenant.last_code(EMAIL).await;
    run.fill("#register-code", &email_code).await?;
    run.app.click("[data-action='confirm']").await?;
    run.app
        .wait_for("[data-step='summary'] [data-kind='email']")
        .await?;
    let registered = run.app.text("[data-testid='registered']").await?;
    assert!(
        registered.contains("+33 •• •• •• •• 78") && registered.contains("n•••@example.net"),
        "{registered}"
    );
    assert!(!registered.contains(EMAIL), "only masked forms are shown");
    run.app.wait_for("[data-action='done']").await?;
    run.app.screenshot(&shot("complete")).await?;
    Ok(vec![phone_code, email_code])
}

#[tokio::test]
async fn a_new_user_registers_then_resets_and_signs_in_with_the_new_password() -> Result<()> {
    let run = launch("en").await?;
    let mut secrets = onboard(&run, "en", "+33 6 12 34 56 78").await?;
    run.app.click("[data-action='done']").await?;
    run.app.wait_for("[data-screen='home']").await?;

    // Forgot password with the phone just registered (this user has no recovery question, so
    // the organisation's second proof is the confirmed phone itself).
    run.app.click("[data-route='reset']").await?;
    run.step("start").await?;
    run.fill("#reset-username", NEW_USER).await?;
    run.app.click("[data-action='send-code']").await?;
    run.step("code").await?;
    let code = run.tenant.last_code(PHONE_E164).await;
    run.fill("#reset-code", &code).await?;
    run.app.click("[data-action='verify']").await?;
    run.step("new-password").await?;
    run.fill("#new-password", NEW_PASSWORD).await?;
    run.app.click("[data-action='set-password']").await?;
    run.step("done").await?;
    run.app.click("[data-action='home']").await?;
    // The reset ended the session: signing in again takes the new password.
    run.sign_in(NEW_USER, NEW_PASSWORD, 2).await?;
    assert_eq!(
        run.app.text("[data-testid='signed-in-as']").await?,
        "You are signed in as Nina New."
    );

    secrets.push(code);
    let mut all: Vec<&str> = vec![
        NEW_PASSWORD,
        PASSWORD,
        PHONE_E164,
        "+33 6 12 34 56 78",
        EMAIL,
    ];
    all.extend(secrets.iter().map(String::as_str));
    // And every token the tenant handed out: access and ID tokens, state tokens.
    let issued = run.tenant.issued().await;
    assert!(!issued.is_empty(), "the sign-in got tokens");
    all.extend(issued.iter().map(String::as_str));
    let leaks = run.app.close_and_find(&all).await?;
    assert!(leaks.is_empty(), "{leaks:?}");
    // This configuration keeps no refresh token: the keyring holds nothing of the run either.
    let keyring = kept_refresh_token();
    assert!(
        keyring.load()?.is_none(),
        "a refresh token was kept without permission"
    );
    Ok(())
}

#[tokio::test]
async fn onboarding_in_french() -> Result<()> {
    let run = launch("fr").await?;
    // France is the default country in French: the national format works.
    let secrets = onboard(&run, "fr", "06 12 34 56 78").await?;
    assert_eq!(run.app.text("h1").await?, "Votre compte est récupérable");
    let mut all: Vec<&str> = vec![PASSWORD, PHONE_E164, "06 12 34 56 78", EMAIL];
    all.extend(secrets.iter().map(String::as_str));
    let leaks = run.app.close_and_find(&all).await?;
    assert!(leaks.is_empty(), "{leaks:?}");
    Ok(())
}

#[tokio::test]
async fn a_registered_user_confirms_the_methods_are_still_correct() -> Result<()> {
    let run = launch("en").await?;
    run.sign_in(REGISTERED, PASSWORD, 1).await?;
    run.app.click("[data-action='continue']").await?;
    // This computer has no record of a confirmation: the policy's period counts as passed.
    run.app
        .wait_for("[data-step='summary'] [data-action='reconfirm']")
        .await?;
    assert_eq!(run.app.text("h1").await?, "Is this still correct?");
    let registered = run.app.text("[data-testid='registered']").await?;
    assert!(
        registered.contains("+1 •• •• •• •• 23") && registered.contains("r•••@example.net"),
        "{registered}"
    );
    run.app.screenshot("onboarding-reconfirm-en").await?;
    run.app.click("[data-action='reconfirm']").await?;
    run.app
        .wait_for("[data-step='summary'] [data-action='done']")
        .await?;
    assert_eq!(run.app.text("h1").await?, "Your account is recoverable");
    let leaks = run
        .app
        .close_and_find(&[PASSWORD, REGISTERED_PHONE, REGISTERED_EMAIL])
        .await?;
    assert!(leaks.is_empty(), "{leaks:?}");
    Ok(())
}

/// `--onboarding` at login on a computer with no record: with a kept refresh token and the
/// provider reachable, the provider says whether anything is missing.
#[tokio::test]
async fn the_login_prompt_asks_the_provider_when_this_computer_does_not_know() -> Result<()> {
    // The session keyring is left as found, whatever happens below.
    let _forget = latchkey_e2e::ForgetKeptToken;
    for (user, expected_exit) in [(REGISTERED, 0), (NEW_USER, 1)] {
        let run = journey::launch_with("en", "keep_refresh_token = true", &[]).await?;
        run.sign_in(user, PASSWORD, 1).await?;
        run.app.close().await?;
        let data = tempfile::tempdir()?;
        let config = run.dir.path().join("okta.toml");
        let started = std::time::Instant::now();
        let out = std::process::Command::new(latchkey_e2e::app_binary())
            .arg("--onboarding")
            .arg("--config")
            .arg(&config)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_DATA_HOME", data.path())
            .output()?;
        let took = started.elapsed();
        assert_eq!(
            out.status.code(),
            Some(expected_exit),
            "{user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            took < std::time::Duration::from_secs(4),
            "{user}: took {took:?}"
        );
        let recorded = data.path().join("latchkey-demo/record.toml").exists();
        assert_eq!(recorded, expected_exit == 0, "{user}");
        // The kept token is this test's; leave the session keyring as it was.
        let _ = kept_refresh_token().delete();
    }
    Ok(())
}

/// T47: a sign-in kept from an earlier run may read the registration but not change it. Adding
/// a phone asks the user to confirm it is them; the browser sign-in that follows asks the
/// provider to authenticate again (`prompt=login`, `max_age`), and then the phone is added.
#[tokio::test]
async fn a_kept_sign_in_must_confirm_it_is_the_user_before_adding_a_method() -> Result<()> {
    let _forget = latchkey_e2e::ForgetKeptToken;
    let run = journey::launch_with("en", "keep_refresh_token = true", &[]).await?;
    run.sign_in(NEW_USER, PASSWORD, 1).await?;
    let run = run.relaunch().await?;

    // Signed in silently with the kept token: no browser, straight to "signed in".
    run.app.click("[data-route='onboarding']").await?;
    run.app.click("[data-action='sign-in']").await?;
    run.app.wait_for("[data-state='signed-in']").await?;
    run.app.click("[data-action='continue']").await?;
    run.app
        .wait_for("[data-screen='register'][data-step='summary']")
        .await?;
    run.app.click("[data-action='add-phone']").await?;
    run.fill("#phone-number", "+33 6 12 34 56 78").await?;
    run.app.click("[data-action='send-code']").await?;

    // Not sent: the user is asked to confirm it is them.
    run.app
        .wait_for("[data-screen='onboarding'] [data-testid='confirm-presence']")
        .await?;
    assert_eq!(run.app.text("h1").await?, "Confirm it's you");
    assert!(
        run.tenant.outbox(PHONE_E164).await.is_empty(),
        "no code may be sent on a kept sign-in"
    );
    run.app.screenshot("onboarding-confirm-presence-en").await?;
    run.app.click("[data-action='sign-in']").await?;
    let authorize = run.finish_in_browser(NEW_USER, PASSWORD, 2).await?;
    assert!(authorize.contains("prompt=login"), "{authorize}");
    assert!(authorize.contains("max_age=600"), "{authorize}");
    run.app.wait_for("[data-state='signed-in']").await?;
    run.app.click("[data-action='continue']").await?;
    run.app
        .wait_for("[data-screen='register'][data-step='summary']")
        .await?;
    run.app.click("[data-action='add-phone']").await?;
    run.fill("#phone-number", "+33 6 12 34 56 78").await?;
    run.app.click("[data-action='send-code']").await?;
    run.app.wait_for("[data-step='confirm']").await?;
    assert_eq!(run.tenant.outbox(PHONE_E164).await.len(), 1);
    run.app.close().await
}
