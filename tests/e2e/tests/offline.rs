//! The reset journey with the provider out of reach: the offline screen says why and offers the
//! reset page as a QR code and the helpdesk, checks again by itself, and carries on, keeping what
//! was typed, as soon as the provider answers again.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

mod journey;

use journey::sandbox::{spawn_on, REGISTERED, REGISTERED_PHONE};
use latchkey_e2e::{write_config, App, Launch, Result};

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

#[tokio::test]
async fn offline_screen_then_the_reset_continues_by_itself() -> Result<()> {
    let port = free_port()?;
    let dir = tempfile::tempdir()?;
    let config = write_config(
        dir.path(),
        "okta.toml",
        &format!(
            "[organisation]\nname = \"Contoso\"\n\n[helpdesk]\nphone = \"+1 425 555 0100\"\nhours = \"8:00 to 18:00\"\n\n[provider]\nkind = \"okta\"\nissuer = \"http://127.0.0.1:{port}/oauth2/default\"\nclient_id = \"latchkey-demo\"\n\n[app]\nlanguage = \"en\"\n"
        ),
    )?;
    let app = App::launch(Launch::with_config(config)).await?;
    app.wait_for("[data-screen='home']").await?;

    // Nothing listens yet: offline at once, with the reason, the QR code and the helpdesk.
    app.click("[data-route='reset']").await?;
    app.wait_for("[data-screen='reset'][data-step='offline']")
        .await?;
    let reason = app.wait_for("[data-testid='offline-reason']").await?;
    assert_eq!(
        reason.attr("data-verdict").await?.as_deref(),
        Some("no_route")
    );
    assert_eq!(app.text("h1").await?, "You are offline");
    let qr = app.text("[data-testid='reset-qr']").await?;
    assert!(
        qr.contains(&format!("http://127.0.0.1:{port}/signin/forgot-password")),
        "{qr}"
    );
    app.wait_for("[data-testid='reset-qr'] svg").await?;
    let helpdesk = app
        .text("[data-screen='reset'] [data-testid='helpdesk']")
        .await?;
    assert!(
        helpdesk.contains("+1 425 555 0100") && helpdesk.contains("8:00 to 18:00"),
        "{helpdesk}"
    );
    app.screenshot("reset-offline-en").await?;

    // The provider comes back: the start screen appears by itself.
    let tenant = spawn_on(port);
    app.wait_for("[data-screen='reset'][data-step='start']")
        .await?;
    let field = app.wait_for("#reset-username").await?;
    field.send_keys(REGISTERED).await?;

    // It goes away again just as the user asks for a code: offline, and then on by itself.
    // The fault is in place (the port refuses) before the click, not racing it.
    drop(tenant);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the tenant did not stop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.click("[data-action='send-code']").await?;
    app.wait_for("[data-screen='reset'][data-step='offline']")
        .await?;
    let tenant = spawn_on(port);
    app.wait_for("[data-screen='reset'][data-step='code']")
        .await?;
    // The code went to the phone of the user typed before the outage.
    assert!(!tenant.outbox(REGISTERED_PHONE).await.is_empty());
    app.close().await
}
