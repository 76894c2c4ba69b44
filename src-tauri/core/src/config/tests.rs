use super::*;
use crate::policy::Method;

const GOOD: &str = r##"
[organisation]
name = "Contoso"
accent_color = "#0a5bd3"

[helpdesk]
phone = "+1 425 555 0100"
email = "helpdesk@contoso.example"
hours = "Mon–Fri 8:00–18:00"

[provider]
kind = "okta"
issuer = "https://contoso.okta.example/oauth2/default"
client_id = "0oa1latchkey"

[app]
language = "fr"
"##;

fn parse(raw: &str) -> Result<Config, ConfigError> {
    Config::parse(raw, Path::new("/etc/latchkey/config.toml"))
}

/// The key and line of an `Invalid` error.
fn where_invalid(raw: &str) -> (Option<String>, Option<usize>, String) {
    match parse(raw) {
        Err(ConfigError::Invalid {
            key, line, reason, ..
        }) => (key, line, reason),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn good_file_parses_with_defaults() {
    let c = parse(GOOD).expect("valid");
    assert_eq!(c.organisation.name, "Contoso");
    assert_eq!(c.provider.kind, ProviderKind::Okta);
    assert_eq!(c.app.language, LanguageSetting::Fr);
    assert_eq!(c.app.sign_in_timeout_seconds, 300);
    assert!(!c.app.keep_refresh_token);
    assert_eq!(c.policy, Policy::default());
    assert_eq!(
        c.security.reauth_minutes, 10,
        "a fresh sign-in of the last 10 minutes"
    );
}

#[test]
fn reauth_minutes_is_bounded() {
    let c = parse(&format!("{GOOD}\n[security]\nreauth_minutes = 5\n")).expect("valid");
    assert_eq!(c.security.reauth_minutes, 5);
    for bad in ["0", "61"] {
        let raw = format!("{GOOD}\n[security]\nreauth_minutes = {bad}\n");
        let (key, _, _) = where_invalid(&raw);
        assert_eq!(key.as_deref(), Some("security.reauth_minutes"), "{bad}");
    }
}

#[test]
fn shipped_examples_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            Config::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 2, "expected the example configurations");
}

#[test]
fn syntax_error_names_the_line() {
    let raw = GOOD.replace("name = \"Contoso\"", "name = \"Contoso");
    let (_, line, _) = where_invalid(&raw);
    assert_eq!(line, Some(3));
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let raw = GOOD.replace("[app]\n", "[app]\ncolour = \"blue\"\n");
    let (key, line, reason) = where_invalid(&raw);
    assert_eq!(key.as_deref(), Some("app.colour"));
    assert_eq!(line, Some(17));
    assert!(reason.contains("unknown field"), "{reason}");
}

#[test]
fn wrong_type_is_named_with_its_line() {
    let raw = GOOD.replace("language = \"fr\"", "language = 3");
    let (key, line, _) = where_invalid(&raw);
    assert_eq!(key.as_deref(), Some("app.language"));
    assert_eq!(line, Some(17));
}

#[test]
fn unknown_language_is_refused() {
    let raw = GOOD.replace("language = \"fr\"", "language = \"klingon\"");
    let (key, _, _) = where_invalid(&raw);
    assert_eq!(key.as_deref(), Some("app.language"));
}

#[test]
fn log_level_is_info_unless_debug_is_asked_and_nothing_else_is_accepted() {
    assert_eq!(parse(GOOD).expect("valid").app.log_level, LogLevel::Info);
    let debug = GOOD.replace(
        "language = \"fr\"",
        "language = \"fr\"\nlog_level = \"debug\"",
    );
    assert_eq!(parse(&debug).expect("valid").app.log_level, LogLevel::Debug);
    let trace = GOOD.replace(
        "language = \"fr\"",
        "language = \"fr\"\nlog_level = \"trace\"",
    );
    let (key, line, _) = where_invalid(&trace);
    assert_eq!(key.as_deref(), Some("app.log_level"));
    assert_eq!(line, Some(18));
}

#[test]
fn missing_section_is_reported() {
    let raw = "[organisation]\nname = \"Contoso\"\n";
    let (_, _, reason) = where_invalid(raw);
    assert!(reason.contains("provider"), "{reason}");
}

#[test]
fn plain_http_issuer_is_refused_except_on_loopback() {
    let raw = GOOD.replace(
        "https://contoso.okta.example",
        "http://contoso.okta.example",
    );
    let (key, line, reason) = where_invalid(&raw);
    assert_eq!(key.as_deref(), Some("provider.issuer"));
    assert_eq!(line, Some(13));
    assert!(reason.contains("https"));
    let raw = GOOD.replace("https://contoso.okta.example", "http://127.0.0.1:8080");
    assert!(parse(&raw).is_ok());
}

#[test]
fn okta_needs_issuer_and_client_id() {
    let raw = GOOD.replace(
        "issuer = \"https://contoso.okta.example/oauth2/default\"\n",
        "",
    );
    assert_eq!(where_invalid(&raw).0.as_deref(), Some("provider.issuer"));
    let raw = GOOD.replace("client_id = \"0oa1latchkey\"\n", "");
    assert_eq!(where_invalid(&raw).0.as_deref(), Some("provider.client_id"));
}

#[test]
fn entra_tenant_forms() {
    let entra = |tenant: &str| {
        let raw = format!(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"{tenant}\"\nclient_id = \"abc\"\n"
        );
        parse(&raw)
    };
    assert!(entra("contoso.onmicrosoft.com").is_ok());
    assert!(entra("organizations").is_ok());
    assert!(entra("72f988bf-86f1-41af-91ab-2d7cd011db47").is_ok());
    for bad in [
        "common",
        "contoso",
        "72f988bf_86f1",
        "a..b",
        "has space.com",
    ] {
        match entra(bad) {
            Err(ConfigError::Invalid { key, line, .. }) => {
                assert_eq!(key.as_deref(), Some("provider.tenant"), "{bad}");
                assert_eq!(line, Some(5));
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn branding_and_helpdesk_are_checked() {
    let raw = GOOD.replace("#0a5bd3", "blue");
    assert_eq!(
        where_invalid(&raw).0.as_deref(),
        Some("organisation.accent_color")
    );
    let raw = GOOD.replace("helpdesk@contoso.example", "helpdesk");
    assert_eq!(where_invalid(&raw).0.as_deref(), Some("helpdesk.email"));
    let raw = GOOD.replace("name = \"Contoso\"", "name = \"  \"");
    assert_eq!(where_invalid(&raw).0.as_deref(), Some("organisation.name"));
}

#[test]
fn policy_errors_are_prefixed() {
    let raw = format!("{GOOD}\n[policy]\nenabled_for = \"all\"\nmethods_allowed = [\"email\", \"mobile_phone\"]\nmethods_required = 3\nregistration_required = true\nreconfirm_days = 90\nnotify_on_reset = true\n");
    let (key, line, _) = where_invalid(&raw);
    assert_eq!(key.as_deref(), Some("policy.methods_required"));
    assert_eq!(line, Some(22));
    let ok = raw.replace("methods_required = 3", "methods_required = 1");
    let c = parse(&ok).expect("valid policy");
    assert_eq!(
        c.policy.methods_allowed,
        vec![Method::Email, Method::MobilePhone]
    );
}

#[test]
fn unicode_values_are_kept() {
    let raw = GOOD.replace("Contoso", "Société Générale 東京");
    let c = parse(&raw).expect("valid");
    assert_eq!(c.organisation.name, "Société Générale 東京");
}

#[test]
fn missing_unreadable_oversize_and_non_utf8_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.toml");
    assert!(matches!(
        Config::load(&missing),
        Err(ConfigError::Missing { .. })
    ));
    assert!(matches!(
        Config::load(dir.path()),
        Err(ConfigError::Unreadable { .. })
    ));

    let big = dir.path().join("big.toml");
    std::fs::write(&big, "#".repeat(300 * 1024)).expect("write");
    assert!(matches!(
        Config::load(&big),
        Err(ConfigError::Invalid { .. })
    ));

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"[organisation]\nname = \"Soci\xe9t\xe9\"\n").expect("write");
    match Config::load(&latin1) {
        Err(ConfigError::Invalid { line, reason, .. }) => {
            assert_eq!(line, Some(2));
            assert!(reason.contains("UTF-8"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_message_names_path_line_and_key() {
    let raw = GOOD.replace("https://contoso", "ftp://contoso");
    let e = parse(&raw).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("/etc/latchkey/config.toml"), "{text}");
    assert!(text.contains("line 13"), "{text}");
    assert!(text.contains("provider.issuer"), "{text}");
}

#[test]
fn helpdesk_is_salvaged_from_an_invalid_file() {
    let raw = GOOD.replace("kind = \"okta\"", "kind = \"unknown\"");
    assert!(parse(&raw).is_err());
    let h = Helpdesk::salvage(&raw).expect("helpdesk");
    assert_eq!(h.phone.as_deref(), Some("+1 425 555 0100"));
    assert_eq!(h.email.as_deref(), Some("helpdesk@contoso.example"));
    // An invalid field is dropped, the rest kept.
    let raw = raw.replace("helpdesk@contoso.example", "not-an-address");
    let h = Helpdesk::salvage(&raw).expect("helpdesk");
    assert_eq!(h.email, None);
    assert!(h.phone.is_some());
    // Nothing to salvage from a file that is not TOML.
    assert_eq!(Helpdesk::salvage("[helpdesk\nphone = 1"), None);
}

#[test]
fn username_hint_is_the_os_account_at_the_configured_domain() {
    let base = "[organisation]\nname = \"C\"\n[provider]\nkind = \"sandbox\"\n[app]\n";
    let with = Config::parse(
        &format!("{base}username_domain = \"contoso.com\"\n"),
        Path::new("t.toml"),
    )
    .expect("valid");
    assert_eq!(
        with.username_hint(Some("Nina.New")).as_deref(),
        Some("nina.new@contoso.com")
    );
    assert_eq!(with.username_hint(Some("root")), None);
    assert_eq!(with.username_hint(Some("a b")), None);
    assert_eq!(with.username_hint(None), None);
    let without = Config::parse(base, Path::new("t.toml")).expect("valid");
    assert_eq!(without.username_hint(Some("nina")), None);
    let bad = Config::parse(
        &format!("{base}username_domain = \"not a domain\"\n"),
        Path::new("t.toml"),
    );
    assert!(bad.unwrap_err().to_string().contains("app.username_domain"));
}

#[test]
fn the_entra_flavoured_sandbox_becomes_an_entra_configuration() {
    let raw = "[organisation]\nname = \"C\"\n[provider]\nkind = \"sandbox\"\nflavour = \"entra\"\n";
    let mut config = parse(raw).expect("valid");
    assert!(config.wants_embedded_sandbox());
    config.attach_sandbox(SandboxEndpoints {
        base_url: "http://127.0.0.1:4000".into(),
        okta_issuer: "http://127.0.0.1:4000/oauth2/default".into(),
        client_id: "latchkey-demo".into(),
        domain: "contoso.example".into(),
    });
    let p = &config.provider;
    assert_eq!(p.kind, ProviderKind::Entra);
    assert_eq!(
        p.entra_authority().as_deref(),
        Some("http://127.0.0.1:4000/contoso.example/v2.0")
    );
    assert_eq!(p.graph_v1(), "http://127.0.0.1:4000/v1.0/");
    assert_eq!(p.reset_portal_url(), "http://127.0.0.1:4000/passwordreset/");
    assert_eq!(p.issuer, None);
    // The flavour means nothing for a real provider, and Microsoft's endpoints must be https.
    let (key, _, _) = where_invalid(&GOOD.replace(
        "client_id = \"0oa1latchkey\"",
        "client_id = \"x\"\nflavour = \"entra\"",
    ));
    assert_eq!(key.as_deref(), Some("provider.flavour"));
    let entra = "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\ngraph_endpoint = \"http://graph.example/v1.0/\"\n";
    let (key, line, _) = where_invalid(entra);
    assert_eq!(
        (key.as_deref(), line),
        (Some("provider.graph_endpoint"), Some(7))
    );
}
