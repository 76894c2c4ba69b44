//! Every documented Microsoft error Latchkey can meet, through the client's own mapping: each
//! error example in `tests/contract/specs/graph/examples/*.json` (status, headers, body) goes
//! through Graph's refusal mapping, and each AADSTS row of `entra-token-error.json` through the
//! token endpoint's, and must give the user a specific way forward — never the generic
//! `provider_error`, and never "sign in again" for something typed wrong.
//!
//! The tables below name every example file and every row: one added to the specs without an
//! entry here fails this test, by name.
#![allow(clippy::too_many_lines)] // tests aside: a table reads best in one piece

use std::collections::BTreeMap;
use std::path::PathBuf;

use latchkey_core::auth::AuthError;
use latchkey_core::codes::{ErrorCode, NextStep};
use latchkey_core::providers::graph::{graph_refusal, GraphCall};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde_json::Value;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/contract/specs/graph/examples")
}

/// What one example file is, for this test.
enum Entry {
    /// A successful exchange: nothing to map.
    Success,
    /// A Graph refusal of `call`; `status` only where the example gives none (with why).
    Graph {
        call: GraphCall,
        status: Option<u16>,
        expected: ErrorCode,
    },
    /// The token endpoint's error body and its rows (`aadstsCodesCheckedAgainstLatchkey`).
    TokenErrors { expected: ErrorCode },
}

fn files() -> BTreeMap<&'static str, Entry> {
    use Entry::*;
    BTreeMap::from([
        ("changepassword.json", Success),
        ("delete-emailmethod.json", Success),
        ("delete-phonemethod.json", Success),
        ("get-domain.json", Success),
        ("get-emailmethod.json", Success),
        ("get-phonemethod.json", Success),
        ("list-emailmethods.json", Success),
        ("list-methods.json", Success),
        ("list-passwordmethods.json", Success),
        ("list-phonemethods.json", Success),
        ("oidc-discovery.json", Success),
        ("post-emailmethods.json", Success),
        ("post-phonemethods.json", Success),
        // A claims challenge, e.g. on deleting one's own method without a recent MFA sign-in.
        (
            "claims-challenge.json",
            Graph {
                call: GraphCall::DeleteMethod,
                status: None,
                expected: ErrorCode::ConfirmIdentity,
            },
        ),
        // The report gives no status; its code `badRequest` is HTTP 400 (Learn, graph/errors).
        (
            "observed-default-method-delete-error.json",
            Graph {
                call: GraphCall::DeleteMethod,
                status: Some(400),
                expected: ErrorCode::MethodInUse,
            },
        ),
        // The errors page's example `invalidRange` comes with 416 (Requested Range Not
        // Satisfiable, Learn graph/errors): no retry changes it.
        (
            "odata-error.json",
            Graph {
                call: GraphCall::ListMethods,
                status: Some(416),
                expected: ErrorCode::ProviderRefused,
            },
        ),
        // The example body is AADSTS70011, `invalid_scope`: the app asks for a wrong scope.
        (
            "entra-token-error.json",
            TokenErrors {
                expected: ErrorCode::ProviderMisconfigured,
            },
        ),
    ])
}

/// Each AADSTS row: the OAuth `error` Entra sends it with, the outcome, and whether it is about
/// something the user typed.
fn aadsts_rows() -> BTreeMap<u32, (&'static str, ErrorCode, bool)> {
    use ErrorCode::*;
    let mut rows = BTreeMap::from([
        (50020, ("access_denied", UserNotInTenant, false)),
        (50034, ("invalid_grant", UserNotInTenant, false)),
        (50177, ("invalid_grant", UserNotInTenant, false)),
        (90072, ("invalid_grant", UserNotInTenant, false)),
        (65001, ("invalid_grant", ConsentRequired, false)),
        (65004, ("access_denied", ConsentRequired, false)),
        (90094, ("invalid_grant", ConsentRequired, false)),
        (90095, ("invalid_grant", ConsentRequired, false)),
        (90008, ("invalid_grant", ConsentRequired, false)),
        (530032, ("invalid_grant", ConditionalAccess, false)),
        (530035, ("invalid_grant", ConditionalAccess, false)),
        (50076, ("interaction_required", ConfirmIdentity, false)),
        (50079, ("interaction_required", ConfirmIdentity, false)),
        (50055, ("invalid_grant", SignInRequired, false)),
        (50173, ("invalid_grant", SignInRequired, false)),
        (70043, ("invalid_grant", SignInRequired, false)),
        (70008, ("invalid_grant", SignInExpired, false)),
        (54005, ("invalid_grant", SignInExpired, false)),
        (70000, ("invalid_grant", SignInExpired, false)),
        // Not in Microsoft's list: the OAuth error decides.
        (50148, ("invalid_grant", SignInExpired, false)),
        (501481, ("invalid_grant", SignInExpired, false)),
        (9002313, ("invalid_request", ProviderMisconfigured, false)),
        (900144, ("invalid_request", ProviderMisconfigured, false)),
        (
            700016,
            ("unauthorized_client", ProviderMisconfigured, false),
        ),
        (50011, ("invalid_request", ProviderMisconfigured, false)),
        (90002, ("invalid_tenant", ProviderMisconfigured, false)),
        (
            70003,
            ("unsupported_grant_type", ProviderMisconfigured, false),
        ),
        (120000, ("invalid_grant", CurrentPasswordWrong, true)),
        (120002, ("invalid_grant", PasswordRejected, true)),
        (120003, ("invalid_grant", PasswordRejected, true)),
    ]);
    for code in [53000, 53001, 53002, 53003, 53004, 53010, 53011] {
        rows.insert(code, ("invalid_grant", ConditionalAccess, false));
    }
    rows
}

fn read(name: &str) -> Value {
    let raw = std::fs::read_to_string(examples_dir().join(name)).expect("example");
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Whether the example is an error: a 4xx/5xx, an error body, or a challenge.
fn is_error(example: &Value) -> bool {
    let response = &example["response"];
    response["status"].as_u64().is_some_and(|s| s >= 400)
        || response["body"]["error"].is_object()
        || response["headers"]["www-authenticate"].is_string()
        || example["body"]["error"].is_object()
        || example["body"]["error"].is_string()
}

fn headers(example: &Value) -> HeaderMap {
    let mut map = HeaderMap::new();
    if let Some(h) = example["response"]["headers"].as_object() {
        for (k, v) in h {
            map.append(
                HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()).expect("name"),
                HeaderValue::from_str(v.as_str().unwrap_or_default()).expect("value"),
            );
        }
    }
    map
}

fn graph_outcome(name: &str, example: &Value, call: GraphCall, status: Option<u16>) -> ErrorCode {
    let status = example["response"]["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .or(status)
        .unwrap_or_else(|| panic!("{name}: no status in the example or the table"));
    let body = if example["response"]["body"].is_object() {
        &example["response"]["body"]
    } else {
        &example["body"]
    };
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(body).expect("body")
    };
    let status = StatusCode::from_u16(status).expect("status");
    graph_refusal(call, status, &headers(example), &bytes).code()
}

fn check(name: &str, got: ErrorCode, expected: ErrorCode, wrong_input: bool) {
    assert_eq!(got, expected, "{name}");
    assert_ne!(
        got,
        ErrorCode::ProviderError,
        "{name}: a documented error is not 'something went wrong'"
    );
    if wrong_input {
        assert_ne!(
            got.next_step(),
            NextStep::SignInAgain,
            "{name}: a wrong input is not a sign-in problem"
        );
    }
}

#[test]
fn every_example_file_has_an_entry_and_only_errors_are_mapped() {
    let table = files();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(examples_dir()).expect("examples") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8");
        if !name.ends_with(".json") {
            continue;
        }
        let example = read(&name);
        let Some(expected) = table.get(name.as_str()) else {
            panic!("{name} is a new example: give it an entry in this test's table");
        };
        match expected {
            Entry::Success => assert!(!is_error(&example), "{name} is an error: map it"),
            Entry::Graph {
                call,
                status,
                expected,
            } => {
                assert!(is_error(&example), "{name} is no error example");
                let got = graph_outcome(&name, &example, *call, *status);
                check(&name, got, *expected, false);
            }
            Entry::TokenErrors { expected } => {
                let body = serde_json::to_vec(&example["body"]).expect("body");
                let got = AuthError::from_token_error_body(&body).code();
                check(&name, got, *expected, false);
            }
        }
        seen.push(name);
    }
    for name in table.keys() {
        assert!(
            seen.iter().any(|s| s == name),
            "{name} is gone from the specs"
        );
    }
}

/// Each row of `entra-token-error.json`, as the token endpoint would send it: the example's
/// body with the row's code in `error_codes` and at the start of `error_description`.
#[test]
fn every_aadsts_row_has_a_specific_outcome() {
    let example = read("entra-token-error.json");
    let rows = example["aadstsCodesCheckedAgainstLatchkey"]
        .as_object()
        .expect("rows");
    let table = aadsts_rows();
    for (code, meaning) in rows {
        let code: u32 = code.parse().expect("a number");
        let name = format!("entra-token-error.json row AADSTS{code} ({meaning})");
        let Some((error, expected, wrong_input)) = table.get(&code) else {
            panic!("{name} is new: give it an entry in this test's table");
        };
        let mut body = example["body"].clone();
        body["error"] = Value::from(*error);
        body["error_codes"] = serde_json::json!([code]);
        body["error_description"] = Value::from(format!(
            "AADSTS{code}: {}\r\nTrace ID: x",
            meaning.as_str().unwrap_or("")
        ));
        let got = AuthError::from_token_error_body(&serde_json::to_vec(&body).expect("json"));
        check(&name, got.code(), *expected, *wrong_input);
        // The description alone (the redirect has no `error_codes`) says the same.
        let description = body["error_description"].as_str();
        let from_description = AuthError::from_token_error(error, description, &[]);
        assert_eq!(
            from_description.code(),
            *expected,
            "{name}, by its description"
        );
    }
    for code in table.keys() {
        assert!(
            rows.contains_key(&code.to_string()),
            "AADSTS{code} is in this table but not in the specs"
        );
    }
}

/// The errors page's note: "an HTTP 403; Forbidden error=insufficient_claims" under Conditional
/// Access — not a missing permission (odata-error.json `status403Note`).
#[test]
fn a_403_claims_challenge_is_not_a_missing_permission() {
    let example = read("odata-error.json");
    assert!(example["status403Note"]
        .as_str()
        .is_some_and(|n| n.contains("insufficient_claims")));
    let mut headers = HeaderMap::new();
    headers.insert(
        "www-authenticate",
        HeaderValue::from_static(
            "Bearer realm=\"\", error=\"insufficient_claims\", claims=\"e30=\"",
        ),
    );
    let body = br#"{"error":{"code":"accessDenied","message":"Access denied"}}"#;
    let got = graph_refusal(
        GraphCall::DeleteMethod,
        StatusCode::FORBIDDEN,
        &headers,
        body,
    );
    assert_eq!(got.code(), ErrorCode::ConfirmIdentity);
}
