//! MyAccount phones: list, read, add (a code is sent unless asked not to), challenge again,
//! verify with the code, and remove. At most three: mobile, alternate mobile and office.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::caller::{caller, Need};
use super::requests::{yes, Verification};
use super::responses::{link, refused, versioned};
use crate::codes::{next_challenge, Challenge, CodeCheck};
use crate::http::json;
use crate::okta::errors::{
    already_registered, malformed, no_such_factor, not_allowed, sms_too_soon, throttled,
    transaction_gone, validation, PHONE_DISABLED,
};
use crate::outbox::Channel;
use crate::random;
use crate::seed::{PhoneKind, SeedMethod};
use crate::shared::AppState;
use crate::tenant::Phone;

fn phone_json(base: &str, p: &Phone) -> Value {
    let href = format!("{base}/idp/myaccount/phones/{}", p.id);
    let mut links = json!({
        "self": link(href.clone(), &["GET", "DELETE"]),
        "challenge": link(format!("{href}/challenge"), &["POST"]),
    });
    if !p.verified {
        links["verify"] = link(format!("{href}/verify"), &["POST"]);
    }
    json!({
        "id": p.id,
        "status": if p.verified { "VERIFIED" } else { "UNVERIFIED" },
        "profile": { "phoneNumber": p.number },
        "_links": links,
    })
}

/// Okta accepts common separators; what is stored is `+` and 7 to 15 digits (E.164). A refusal
/// is the parser's error type and text, as Okta's 400 puts them in its summary (`Not-A-Number`,
/// `Invalid-Country-Code`, `Too-Long`).
fn normalise_phone(raw: &str) -> Result<String, &'static str> {
    const NOT_A_NUMBER: &str =
        "Error type: NOT_A_NUMBER. The string supplied did not seem to be a phone number.";
    const COUNTRY: &str =
        "Error type: INVALID_COUNTRY_CODE. Could not interpret numbers after plus-sign.";
    const TOO_LONG: &str =
        "Error type: TOO_LONG. The string supplied is too long to be a phone number.";
    let kept: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    if !kept.bytes().all(|b| b.is_ascii_digit() || b == b'+') || kept.len() < 2 {
        return Err(NOT_A_NUMBER);
    }
    let Some(digits) = kept.strip_prefix('+').filter(|d| !d.starts_with('0')) else {
        return Err(COUNTRY);
    };
    match digits.len() {
        _ if !digits.bytes().all(|b| b.is_ascii_digit()) => Err(NOT_A_NUMBER),
        16.. => Err(TOO_LONG),
        7..=15 => Ok(format!("+{digits}")),
        _ => Err(NOT_A_NUMBER),
    }
}

pub(super) async fn list_phones(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::PhoneRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let list: Vec<_> = tenant.users[user]
        .phones
        .iter()
        .map(|p| phone_json(&app.base_url, p))
        .collect();
    versioned(StatusCode::OK, json!(list))
}

pub(super) async fn get_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::PhoneRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match tenant.users[user].phones.iter().find(|p| p.id == id) {
        Some(p) => versioned(StatusCode::OK, phone_json(&app.base_url, p)),
        None => no_such_factor(),
    }
}

#[derive(Deserialize)]
struct NewPhone {
    profile: PhoneProfile,
    #[serde(rename = "sendCode", default = "yes")]
    send_code: bool,
    #[serde(default)]
    method: Option<String>,
}

#[derive(Deserialize)]
struct PhoneProfile {
    #[serde(rename = "phoneNumber")]
    phone_number: String,
}

fn delivery(method: Option<&str>) -> Result<Channel, Response> {
    match method.unwrap_or("SMS") {
        "SMS" => Ok(Channel::Sms),
        "CALL" => Ok(Channel::Call),
        other => Err(validation(
            "Method",
            &format!("Invalid method {other} in the request."),
        )),
    }
}

pub(super) async fn create_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::PhoneManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let request: NewPhone = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let channel = match delivery(request.method.as_deref()) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(refused) = phones_disabled(&tenant) {
        return refused;
    }
    let number = match normalise_phone(&request.profile.phone_number) {
        Ok(number) => number,
        Err(problem) => return validation(problem, "Invalid phone number."),
    };
    let kind = match free_kind(&tenant.users[user].phones, &number) {
        Ok(kind) => kind,
        Err(r) => return r,
    };
    let now = tenant.now();
    let challenge = request
        .send_code
        .then(|| Challenge::issue(&tenant.seed.codes, now));
    if let Some(c) = &challenge {
        let code = c.code().to_owned();
        tenant.send_code(channel, &number, &code, "your new phone number");
    }
    let phone = Phone {
        id: random::okta_id("sms"),
        number,
        kind,
        verified: false,
        challenge,
    };
    let body = phone_json(&app.base_url, &phone);
    tenant.users[user].phones.push(phone);
    versioned(StatusCode::CREATED, body)
}

/// The slot a new number takes: the first of mobile, alternate mobile and office still free.
/// A number already enrolled (`Phone-Number-Exists-409`), or a fourth phone
/// (`Cardinality-Max-Reached`), is refused.
fn free_kind(phones: &[Phone], number: &str) -> Result<PhoneKind, Response> {
    if phones.iter().any(|p| p.number == number) {
        return Err(already_registered(
            number,
            "This phone number is already assigned to the current user account.",
        ));
    }
    let kind = [
        PhoneKind::Mobile,
        PhoneKind::AlternateMobile,
        PhoneKind::Office,
    ]
    .into_iter()
    .find(|k| phones.iter().all(|p| p.kind != *k));
    let Some(kind) = kind else {
        return Err(validation(
            "Exceeded cardinality max",
            "This user account has reached the maximum number of enrolled phone numbers.",
        ));
    };
    Ok(kind)
}

#[derive(Deserialize)]
struct PhoneChallenge {
    method: String,
    #[serde(default)]
    #[allow(dead_code)] // read by Okta only to pick the message wording
    retry: bool,
}

/// With phones off in the org, every change to a phone is refused (`Phone-Authenticator-Disabled`
/// is documented for create, challenge, verify and delete), even for a phone added before.
fn phones_disabled(tenant: &crate::tenant::Tenant) -> Option<Response> {
    let off = !tenant.method_allowed(SeedMethod::MobilePhone)
        && !tenant.method_allowed(SeedMethod::OfficePhone);
    off.then(|| not_allowed(&[PHONE_DISABLED]))
}

pub(super) async fn challenge_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::PhoneManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(refused) = phones_disabled(&tenant) {
        return refused;
    }
    let request: PhoneChallenge = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let channel = match delivery(Some(&request.method)) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let now = tenant.now();
    let rules = tenant.seed.codes.clone();
    let Some(phone) = tenant.users[user].phones.iter_mut().find(|p| p.id == id) else {
        return no_such_factor();
    };
    // Okta: more than one challenge every 30 seconds is answered 429 (E0000109 for an SMS).
    let next = match next_challenge(phone.challenge.as_ref(), &rules, now) {
        Ok(next) => next,
        Err(wait) if channel == Channel::Sms => return sms_too_soon(wait),
        Err(wait) => return throttled(wait),
    };
    let code = next.code().to_owned();
    let number = phone.number.clone();
    phone.challenge = Some(next);
    tenant.send_code(channel, &number, &code, "your phone number");
    let href = format!("{}/idp/myaccount/phones/{id}/verify", app.base_url);
    versioned(
        StatusCode::OK,
        // As `Challenged-Phone-Response` documents it: the verify link's hint says GET.
        json!({ "_links": { "verify": link(href, &["GET"]) } }),
    )
}

pub(super) async fn verify_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::PhoneManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(refused) = phones_disabled(&tenant) {
        return refused;
    }
    let request: Verification = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let now = tenant.now();
    let Some(phone) = tenant.users[user].phones.iter_mut().find(|p| p.id == id) else {
        return no_such_factor();
    };
    let check = match phone.challenge.as_mut() {
        Some(c) => c.check(&request.verification_code, now),
        None => CodeCheck::Void,
    };
    if let Some(response) = refused(check, transaction_gone) {
        return response;
    }
    phone.verified = true;
    phone.challenge = None;
    tenant.update_registration(user);
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn delete_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::PhoneManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(refused) = phones_disabled(&tenant) {
        return refused;
    }
    let phones = &mut tenant.users[user].phones;
    let before = phones.len();
    phones.retain(|p| p.id != id);
    if phones.len() == before {
        return no_such_factor();
    }
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_normalised_to_e164_or_refused() {
        assert_eq!(
            normalise_phone("+1 (425) 555-0123").as_deref(),
            Ok("+14255550123")
        );
        assert_eq!(
            normalise_phone("+33 6 12 34 56 78").as_deref(),
            Ok("+33612345678")
        );
        // The error types of myaccount.json's Error-Create-Phone-Response-400 examples.
        for (bad, kind) in [
            ("0612345678", "INVALID_COUNTRY_CODE"),
            ("+0123456789", "INVALID_COUNTRY_CODE"),
            ("+1-800-FLOWERS", "NOT_A_NUMBER"),
            ("+１２３４５６７８", "NOT_A_NUMBER"),
            ("+1234", "NOT_A_NUMBER"),
            ("+1234567890123456", "TOO_LONG"),
            ("", "NOT_A_NUMBER"),
        ] {
            let problem = normalise_phone(bad).expect_err(bad);
            assert!(
                problem.starts_with(&format!("Error type: {kind}. ")),
                "{bad}: {problem}"
            );
        }
    }
}
