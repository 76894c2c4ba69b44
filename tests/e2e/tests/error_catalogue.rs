//! Every error code the core can send, shown once in the real window, in English and in French:
//! the message and the next step the user is offered, as `errorBlock` renders them in every
//! journey. The expected texts come from the UI's catalogues and the code table generated from
//! Rust, so a code without a text, a text that fails to render, or a next step that is not the
//! table's fails here.

use latchkey_core::codes::ErrorCode;
use latchkey_e2e::{repo_root, App, Launch, Result};
use serde_json::Value;

fn catalogue(language: &str) -> Result<Value> {
    let path = repo_root().join(format!("ui/src/i18n/{language}.json"));
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

/// A catalogue text by dotted key, with `{{seconds}}` filled as the screen fills it.
fn text(catalogue: &Value, key: &str) -> String {
    let value = key
        .split('.')
        .try_fold(catalogue, |v, part| v.get(part))
        .and_then(Value::as_str)
        .unwrap_or_default();
    value.replace("{{seconds}}", "30")
}

async fn every_code_in(locale: &str, language: &str) -> Result<()> {
    let mut launch = Launch::default().locale(locale);
    launch.args.push("--demo".into());
    let app = App::launch(launch).await?;
    app.wait_for("[data-screen='home']").await?;
    app.client()
        .execute("window.latchkeyOpen('error_catalogue')", vec![])
        .await?;
    app.wait_for("[data-screen='error-catalogue']").await?;
    let texts = catalogue(language)?;
    let shown = app
        .client()
        .execute(
            "return document.querySelectorAll('[data-catalogue-code]').length",
            vec![],
        )
        .await?;
    assert_eq!(
        shown.as_u64(),
        Some(ErrorCode::ALL.len() as u64),
        "{language}"
    );
    for code in ErrorCode::ALL {
        let name = serde_json::to_value(code)?;
        let name = name.as_str().unwrap_or_default();
        let item = format!("[data-catalogue-code='{name}'] [data-testid='reset-error']");
        let element = app.wait_for(&item).await?;
        let next = code.next_step();
        let next_name = serde_json::to_value(next)?;
        assert_eq!(
            element.attr("data-next").await?.as_deref(),
            next_name.as_str(),
            "{name}"
        );
        let message = app.text(&format!("{item} p:first-child")).await?;
        let want = text(&texts, code.message_key());
        assert!(
            !want.is_empty(),
            "{language}.json has no {}",
            code.message_key()
        );
        assert_eq!(message, want, "{name} in {language}");
        let step = app
            .text(&format!("{item} [data-testid='error-next']"))
            .await?;
        assert_eq!(
            step,
            text(&texts, next.message_key()),
            "{name} in {language}"
        );
    }
    app.screenshot(&format!("error-catalogue-{language}"))
        .await?;
    app.close().await
}

#[tokio::test]
async fn every_error_code_in_english() -> Result<()> {
    every_code_in("en_US.UTF-8", "en").await
}

#[tokio::test]
async fn every_error_code_in_french() -> Result<()> {
    every_code_in("fr_FR.UTF-8", "fr").await
}
