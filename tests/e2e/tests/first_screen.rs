//! The first screen of the real app: branding, languages, keyboard navigation, bad configuration.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use fantoccini::key::Key;
use latchkey_e2e::{example_config, write_config, App, Launch, Result};

const HOME: &str = "[data-screen='home']";

#[tokio::test]
async fn first_screen_in_english() -> Result<()> {
    let app =
        App::launch(Launch::with_config(example_config("sandbox.toml")).locale("en_US.UTF-8"))
            .await?;
    app.wait_for(HOME).await?;
    assert_eq!(
        app.text("[data-testid='organisation']").await?,
        "Contoso (sandbox)"
    );
    assert_eq!(app.text("h1").await?, "Your Contoso (sandbox) account");
    let entries = [
        ("onboarding", "Set up account recovery"),
        ("reset", "Forgot password"),
        ("change", "Change password"),
    ];
    for (route, title) in entries {
        let text = app
            .text(&format!("[data-route='{route}'] .entry-title"))
            .await?;
        assert_eq!(text, title);
    }
    let requirement = app.text("[data-testid='requirement']").await?;
    assert!(requirement.contains("2 recovery methods"), "{requirement}");
    assert!(requirement.contains("Alternate e-mail"), "{requirement}");
    let helpdesk = app.text("[data-testid='helpdesk']").await?;
    assert!(helpdesk.contains("Phone: +1 425 555 0100"), "{helpdesk}");
    let lang = app
        .client()
        .execute("return document.documentElement.lang", vec![])
        .await?;
    assert_eq!(lang, "en");
    app.screenshot("home-en").await?;
    app.close().await
}

#[tokio::test]
async fn first_screen_follows_a_french_os() -> Result<()> {
    let app =
        App::launch(Launch::with_config(example_config("sandbox.toml")).locale("fr_FR.UTF-8"))
            .await?;
    app.wait_for(HOME).await?;
    assert_eq!(app.text("h1").await?, "Votre compte Contoso (sandbox)");
    assert_eq!(
        app.text("[data-route='reset'] .entry-title").await?,
        "Mot de passe oublié"
    );
    assert_eq!(
        app.text("[data-route='onboarding'] .entry-title").await?,
        "Configurer la récupération du compte"
    );
    let helpdesk = app.text("[data-testid='helpdesk']").await?;
    assert!(
        helpdesk.contains("Téléphone : +1 425 555 0100"),
        "{helpdesk}"
    );
    let lang = app
        .client()
        .execute("return document.documentElement.lang", vec![])
        .await?;
    assert_eq!(lang, "fr");
    app.screenshot("home-fr").await?;
    app.close().await
}

#[tokio::test]
async fn language_forced_by_the_configuration_wins_over_the_os() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let sandbox = std::fs::read_to_string(example_config("sandbox.toml"))?;
    let forced = sandbox.replace("language = \"auto\"", "language = \"fr\"");
    assert_ne!(forced, sandbox);
    let config = write_config(dir.path(), "fr.toml", &forced)?;
    let app = App::launch(Launch::with_config(config).locale("en_US.UTF-8")).await?;
    app.wait_for(HOME).await?;
    assert_eq!(app.text("h1").await?, "Votre compte Contoso (sandbox)");
    app.close().await
}

#[tokio::test]
async fn keyboard_only_navigation() -> Result<()> {
    let app =
        App::launch(Launch::with_config(example_config("sandbox.toml")).locale("en_US.UTF-8"))
            .await?;
    app.wait_for(HOME).await?;
    // The heading has focus on arrival; Tab walks the entry points in order.
    assert_eq!(app.client().active_element().await?.tag_name().await?, "h1");
    for route in ["onboarding", "reset", "change"] {
        app.press(Key::Tab).await?;
        assert_eq!(
            app.focused_attr("data-route").await?.as_deref(),
            Some(route)
        );
    }
    // Shift+Tab back to "Forgot password", Enter opens it.
    app.chord(&[Key::Shift, Key::Tab]).await?;
    assert_eq!(
        app.focused_attr("data-route").await?.as_deref(),
        Some("reset")
    );
    app.press(Key::Enter).await?;
    app.wait_for("[data-screen='reset']").await?;
    assert_eq!(app.text("h1").await?, "Forgot password");
    assert_eq!(app.client().active_element().await?.tag_name().await?, "h1");
    app.screenshot("reset-start-keyboard-en").await?;
    // Escape goes back home.
    app.press(Key::Escape).await?;
    app.wait_for(HOME).await?;
    // Into "Change password" and out through the Back button, keyboard only.
    for _ in 0..3 {
        app.press(Key::Tab).await?;
    }
    assert_eq!(
        app.focused_attr("data-route").await?.as_deref(),
        Some("change")
    );
    app.press(Key::Enter).await?;
    // Okta offers no password change in the app yet: the screen says so at once, without a
    // sign-in, and shows the helpdesk.
    app.wait_for("[data-screen='change-password'][data-step='unavailable']")
        .await?;
    assert_eq!(
        app.text("[data-screen='change-password'] p").await?,
        "Changing your password from Latchkey is not available with your organisation’s provider yet. Use your organisation’s sign-in page, or ask the helpdesk."
    );
    let helpdesk = app
        .text("[data-screen='change-password'] [data-testid='helpdesk'] [data-field='phone']")
        .await?;
    assert!(helpdesk.contains("+1 425 555 0100"), "{helpdesk}");
    let mut reached_back = false;
    for _ in 0..10 {
        app.press(Key::Tab).await?;
        if app.focused_attr("data-action").await?.as_deref() == Some("back") {
            reached_back = true;
            break;
        }
    }
    assert!(reached_back, "Tab never reached the Back button");
    app.press(Key::Enter).await?;
    app.wait_for(HOME).await?;
    app.close().await
}

#[tokio::test]
async fn invalid_configuration_opens_the_error_screen_with_the_helpdesk() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = write_config(
        dir.path(),
        "bad.toml",
        "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+33 1 23 45 67 89\"\n\n[provider]\nkind = \"okta\"\nissuer = \"http://okta.contoso.example\"\nclient_id = \"abc\"\n",
    )?;
    let app = App::launch(Launch::with_config(&config).locale("en_US.UTF-8")).await?;
    app.wait_for("[data-screen='config_error']").await?;
    assert_eq!(app.text("h1").await?, "Latchkey is not set up correctly");
    assert_eq!(
        app.text("[data-testid='problem']").await?,
        "Latchkey's configuration file has a mistake in it."
    );
    assert_eq!(
        app.text("[data-field='key']").await?,
        "Setting: provider.issuer"
    );
    assert_eq!(app.text("[data-field='line']").await?, "Line: 9");
    let path = app.text("[data-field='path']").await?;
    assert!(path.ends_with("bad.toml"), "{path}");
    let helpdesk = app.text("[data-testid='helpdesk']").await?;
    assert!(helpdesk.contains("+33 1 23 45 67 89"), "{helpdesk}");
    app.screenshot("config-error-en").await?;
    // The positive control of the privacy scan: the app's stderr does reach the captured output.
    let output = app.output()?;
    assert!(
        output.contains("latchkey: configuration error:") && output.contains("provider.issuer"),
        "the app's stderr is not in the capture: {output}"
    );
    app.close().await
}

#[tokio::test]
async fn missing_configuration_is_explained_in_french() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let app =
        App::launch(Launch::with_config(dir.path().join("absent.toml")).locale("fr_FR.UTF-8"))
            .await?;
    app.wait_for("[data-screen='config_error']").await?;
    assert_eq!(
        app.text("h1").await?,
        "Latchkey n’est pas configuré correctement"
    );
    assert_eq!(
        app.text("[data-testid='problem']").await?,
        "Latchkey n’a pas de configuration sur cet ordinateur."
    );
    let helpdesk = app.text("[data-testid='helpdesk']").await?;
    assert!(
        helpdesk.contains("Contactez votre service informatique."),
        "{helpdesk}"
    );
    app.screenshot("config-missing-fr").await?;
    app.close().await
}
