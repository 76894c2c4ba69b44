//! Every error Okta documents, run through the client's mapping: each example of
//! `tests/contract/specs/okta/myaccount.json` (every non-2xx response of every operation, `$ref`s
//! resolved, plus any error example under `components`) and every error row of
//! `authn-recovery.json` must give the outcome the table below names. An example added to the
//! specs without a row here fails the test, by name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use latchkey_core::codes::ErrorCode;
use latchkey_core::providers::okta::errors::{from_response, OktaCall};
use openidconnect::http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::Value;

/// Example → what the user is told. Keys are `response/example` for MyAccount (the response
/// component's name, `inline` when the operation spells it out) and `operation errorCode` for
/// the Authentication API rows.
const EXPECTED: &[(&str, ErrorCode)] = &[
    ("Error-IdpMyAccountNotEnabled-Response-401/IDP-MyAccount-not-enabled-401", ErrorCode::PermissionMissing),
    ("ErrorNotAcceptable406/NotAcceptable", ErrorCode::ProviderRefused),
    ("Error-Create-Phone-Response-400/Invalid-Method", ErrorCode::ProviderRefused),
    ("Error-Create-Phone-Response-400/Not-A-Number", ErrorCode::PhoneRefused),
    ("Error-Create-Phone-Response-400/Invalid-Country-Code", ErrorCode::PhoneRefused),
    ("Error-Create-Phone-Response-400/Too-Long", ErrorCode::PhoneRefused),
    ("Error-Create-Phone-Response-400/Invalid-Transaction-Data-Type", ErrorCode::ProviderRefused),
    ("Error-Create-Phone-Response-400/Cardinality-Max-Reached", ErrorCode::MethodLimitReached),
    ("Error-CreateChallengeVerify-Phone-Response-403/Phone-Authenticator-Disabled", ErrorCode::NotAllowed),
    ("Error-CreateChallengeVerify-Phone-Response-403/Invalid-Authentication-Method-Type", ErrorCode::NotAllowed),
    ("Error-PhoneNumberExists-Response-409/Phone-Number-Exists-409", ErrorCode::MethodAlreadyRegistered),
    ("Error-FailedToSendOutOfBandChallenge-Response-500/Failed-To-Send-Out-Of-Band-Challenge-500", ErrorCode::CodeNotSent),
    ("Error-InvalidFactorId-Response-404/Invalid-Phone-Factor-Id-404", ErrorCode::MethodGone),
    ("Error-Delete-Phone-Response-403/Phone-Authenticator-Disabled", ErrorCode::NotAllowed),
    ("Error-Challenge-Phone-Response-400/Invalid-Method", ErrorCode::ProviderRefused),
    ("Error-Challenge-Phone-Response-400/Invalid-Transaction-Data-Type", ErrorCode::ProviderRefused),
    ("Error-Verify-Phone-Response-400/Invalid-Method", ErrorCode::ProviderRefused),
    ("Error-Verify-Phone-Response-400/Invalid-Transaction-Data-Type", ErrorCode::ProviderRefused),
    ("Error-Verify-Phone-Response-400/Invalid-Phone-Factor-Id", ErrorCode::CodeWrong),
    ("Error-VerifyPhoneEmail-Response-401/IDP-MyAccount-not-enabled-401", ErrorCode::PermissionMissing),
    ("Error-VerifyPhoneEmail-Response-401/Unauthorized-User-401", ErrorCode::SignInRequired),
    ("Error-VerifyPhoneEmail-Response-401/User-Failed-To-Answer-Challenge-401", ErrorCode::CodeWrong),
    ("Error-InvalidTransaction-Response-409/Invalid-Transaction-409", ErrorCode::CodeSpent),
    ("Error-InvalidEmail-Response-400/Invalid-Email-400", ErrorCode::EmailRefused),
    ("Error-Email-Response-403/Secondary-Email", ErrorCode::NotAllowed),
    ("Error-EmailConflict-Response-409/Email-Conflict-409", ErrorCode::MethodAlreadyRegistered),
    ("Error-InvalidEmailDeletion-400/Invalid-Email-Deletion-400", ErrorCode::NotAllowed),
    ("Error-EmailResourceNotFound-Response-404/Email-Resource-Not-Found-404", ErrorCode::MethodGone),
    ("Error-EmailChallengeResourceNotFound-Response-404/Email-Challenge-Resource-Not-Found-404", ErrorCode::CodeSpent),
    ("Error-InvalidPassword-Reponse-400/Invalid-Password-400", ErrorCode::PasswordRejected),
    ("Error-PasswordConflict-Response-409/Password-Conflict-409", ErrorCode::MethodAlreadyRegistered),
    ("Error-PasswordResourceNotFound-Response-404/Password-Resource-Not-Found-404", ErrorCode::MethodGone),
    // Only `change-password` documents it; Latchkey does not call it.
    ("Error-PasswordChangeForbidden-Response-403/MFA-Assurance-Not-Satisfied", ErrorCode::PermissionMissing),
    ("ErrorAccessDenied403/AccessDenied", ErrorCode::PermissionMissing),
    ("ErrorResourceNotFound404/ResourceNotFound", ErrorCode::MethodGone),
    ("ErrorTooManyRequests429/TooManyRequests", ErrorCode::RateLimited),
    ("POST /api/v1/authn/recovery/password E0000095", ErrorCode::NotAllowed),
    ("POST /api/v1/authn/recovery/password E0000047", ErrorCode::RateLimited),
    ("POST /api/v1/authn/recovery/factors/{sms|call}/verify E0000068", ErrorCode::CodeWrong),
    ("POST /api/v1/authn/recovery/token E0000011", ErrorCode::SessionExpired),
    ("POST /api/v1/authn/recovery/answer E0000087", ErrorCode::AnswerWrong),
    ("POST /api/v1/authn/credentials/reset_password E0000014", ErrorCode::PasswordRejected),
    ("stateTokenErrors E0000011", ErrorCode::SessionExpired),
    ("stateTokenErrors E0000079", ErrorCode::SessionExpired),
    ("rateLimits.smsResend E0000109", ErrorCode::RateLimited),
    ("rateLimits.smsCap E0000150", ErrorCode::RateLimited),
];

/// One documented error answer, as the client would receive it.
struct Documented {
    key: String,
    call: OktaCall,
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

fn spec(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/contract/specs/okta")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Follows local `$ref`s (`#/components/…`) to the object they name.
fn resolve<'a>(root: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        v = root
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {r}"));
    }
    v
}

fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()?.rsplit('/').next()
}

/// Okta's rate-limit headers as it sends them on a 429: the window resets in 30 s.
fn rate_limit_headers(names: &[&str]) -> HeaderMap {
    let mut h = HeaderMap::new();
    let reset = (chrono::Utc::now().timestamp() + 30).to_string();
    for name in names {
        let value = match name.to_ascii_lowercase().as_str() {
            "x-rate-limit-limit" => "600".to_owned(),
            "x-rate-limit-remaining" => "0".to_owned(),
            "x-rate-limit-reset" => reset.clone(),
            _ => continue,
        };
        h.insert(
            openidconnect::http::HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
                .expect("header name"),
            HeaderValue::from_str(&value).expect("header value"),
        );
    }
    h
}

/// Every error example of every MyAccount operation.
fn myaccount_examples() -> Vec<Documented> {
    let root = spec("myaccount.json");
    let mut out = Vec::new();
    let paths = root["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for op in item.as_object().expect("path item").values() {
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                if status.starts_with('2') {
                    continue;
                }
                let name = ref_name(response).unwrap_or("inline");
                let response = resolve(&root, response);
                let headers = response
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().map(String::as_str).collect::<Vec<_>>())
                    .unwrap_or_default();
                let status = StatusCode::from_bytes(status.as_bytes()).expect("status");
                for media in response["content"].as_object().into_iter().flatten() {
                    for (example, v) in media.1["examples"].as_object().into_iter().flatten() {
                        out.push(Documented {
                            key: format!("{name}/{example}"),
                            call: OktaCall::of(true, path),
                            status,
                            headers: rate_limit_headers(&headers),
                            body: resolve(&root, v)["value"].clone(),
                        });
                    }
                }
            }
        }
    }
    out.extend(unreferenced_examples(&root, &out));
    out
}

/// Error examples of `components` (responses and examples) no operation uses: run with the
/// catalogue's status, so an example added there is not missed either.
fn unreferenced_examples(root: &Value, seen: &[Documented]) -> Vec<Documented> {
    let catalogue = spec("error-codes.json");
    let used: BTreeSet<String> = seen
        .iter()
        .map(|d| serde_json::to_string(&d.body).expect("json"))
        .collect();
    let mut values: Vec<(String, Value)> = Vec::new();
    for (name, response) in root["components"]["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        for media in response["content"].as_object().into_iter().flatten() {
            for (example, v) in media.1["examples"].as_object().into_iter().flatten() {
                values.push((
                    format!("{name}/{example}"),
                    resolve(root, v)["value"].clone(),
                ));
            }
        }
    }
    for (name, v) in root["components"]["examples"]
        .as_object()
        .into_iter()
        .flatten()
    {
        values.push((format!("components/examples/{name}"), v["value"].clone()));
    }
    values
        .into_iter()
        .filter(|(_, body)| body.get("errorCode").is_some())
        .filter(|(_, body)| !used.contains(&serde_json::to_string(body).expect("json")))
        .map(|(key, body)| {
            let code = body["errorCode"].as_str().unwrap_or_default();
            let status = catalogue["errors"][code]["statusCode"]
                .as_u64()
                .unwrap_or(500);
            Documented {
                key,
                call: OktaCall::MyAccount,
                status: StatusCode::from_u16(u16::try_from(status).expect("u16")).expect("status"),
                headers: HeaderMap::new(),
                body,
            }
        })
        .collect()
}

/// The Authentication API's documented errors, per operation, plus the state-token and SMS
/// rate-limit rows.
fn authn_rows() -> Vec<Documented> {
    let root = spec("authn-recovery.json");
    let mut out = Vec::new();
    let row = |key: String, e: &Value| {
        let names: Vec<&str> = e["headers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut body = serde_json::json!({ "errorCode": e["errorCode"] });
        for field in ["errorSummary", "errorCauses"] {
            if let Some(v) = e.get(field) {
                body[field] = v.clone();
            }
        }
        Documented {
            key,
            call: OktaCall::Authn,
            status: StatusCode::from_u16(
                u16::try_from(e["status"].as_u64().expect("status")).expect("u16"),
            )
            .expect("status"),
            headers: rate_limit_headers(&names),
            body,
        }
    };
    for (op, spec) in root["operations"].as_object().expect("operations") {
        for e in spec["errors"].as_array().into_iter().flatten() {
            out.push(row(
                format!("{op} {}", e["errorCode"].as_str().expect("code")),
                e,
            ));
        }
    }
    for e in root["stateTokenErrors"]
        .as_array()
        .expect("stateTokenErrors")
    {
        out.push(row(
            format!(
                "stateTokenErrors {}",
                e["errorCode"].as_str().expect("code")
            ),
            e,
        ));
    }
    // "E0000109 (429) 'An SMS message was recently sent. …'"
    for (name, text) in root["rateLimits"].as_object().expect("rateLimits") {
        let Some(text) = text.as_str().filter(|t| t.starts_with('E')) else {
            continue;
        };
        let code = &text[..8];
        let status = text[10..13].parse::<u64>().expect("status in the row");
        let summary = text.split('\'').nth(1).unwrap_or_default();
        let e = serde_json::json!({ "status": status, "errorCode": code, "errorSummary": summary });
        out.push(row(format!("rateLimits.{name} {code}"), &e));
    }
    out
}

#[test]
fn every_documented_okta_error_maps_to_a_specific_outcome() {
    let expected: BTreeMap<&str, ErrorCode> = EXPECTED.iter().copied().collect();
    assert_eq!(expected.len(), EXPECTED.len(), "a key is listed twice");
    let documented: Vec<Documented> = myaccount_examples()
        .into_iter()
        .chain(authn_rows())
        .collect();
    assert!(
        documented.len() > 40,
        "the specs were not read: {}",
        documented.len()
    );
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for d in &documented {
        seen.insert(d.key.as_str());
        let body = serde_json::to_vec(&d.body).expect("json");
        let got = from_response(d.call, d.status, &d.headers, &body);
        match expected.get(d.key.as_str()) {
            None => failures.push(format!(
                "{}: no row in EXPECTED (got {:?})",
                d.key,
                got.code()
            )),
            Some(want) if got.code() != *want => failures.push(format!(
                "{} ({:?} {}): expected {want:?}, got {:?} ({got:?})",
                d.key,
                d.call,
                d.status,
                got.code()
            )),
            Some(_) => {}
        }
        if got.code() == ErrorCode::RateLimited && d.headers.contains_key("x-rate-limit-reset") {
            let wait = got.retry_after().unwrap_or_default();
            if !(29..=30).contains(&wait) {
                failures.push(format!(
                    "{}: waits {wait} s, not X-Rate-Limit-Reset's 30",
                    d.key
                ));
            }
        }
        if matches!(got.code(), ErrorCode::ProviderError | ErrorCode::Internal) {
            failures.push(format!("{}: a documented error is not generic", d.key));
        }
    }
    for key in expected.keys().filter(|k| !seen.contains(*k)) {
        failures.push(format!("{key}: in EXPECTED but no longer in the specs"));
    }
    assert!(
        failures.is_empty(),
        "documented Okta errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_wrong_code_is_never_sign_in_again() {
    // User-Failed-To-Answer-Challenge-401, on both verify paths of myaccount.json.
    let wrong: Vec<_> = myaccount_examples()
        .into_iter()
        .filter(|d| d.key.ends_with("/User-Failed-To-Answer-Challenge-401"))
        .collect();
    assert_eq!(wrong.len(), 2, "phones and emails verify");
    for d in wrong {
        assert_eq!(d.call, OktaCall::MyAccountVerify, "{}", d.key);
        let body = serde_json::to_vec(&d.body).expect("json");
        let got = from_response(d.call, d.status, &d.headers, &body);
        assert_eq!(got.code(), ErrorCode::CodeWrong, "{}", d.key);
    }
}
