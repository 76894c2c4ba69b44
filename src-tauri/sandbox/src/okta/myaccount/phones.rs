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
use crate::okta::errors::{malformed, not_allowed, not_found, throttled, validation};
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

/// Okta accepts common separators; what is stored is `+` and 7 to 15 digits (E.164).
fn normalise_phone(raw: &str) -> Option<String> {
    let kept: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = kept.strip_prefix('+')?;
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
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
        None => not_found(&id, "Phone"),
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
        _ => Err(validation("method", "The method must be SMS or CALL.")),
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
    if !tenant.method_allowed(SeedMethod::MobilePhone)
        && !tenant.method_allowed(SeedMethod::OfficePhone)
    {
        return not_allowed();
    }
    let Some(number) = normalise_phone(&request.profile.phone_number) else {
        return validation("phoneNumber", "Invalid Phone Number.");
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
/// A number already enrolled, or a fourth phone, is refused.
fn free_kind(phones: &[Phone], number: &str) -> Result<PhoneKind, Response> {
    if phones.iter().any(|p| p.number == number) {
        return Err(validation(
            "phoneNumber",
            "This phone number is already enrolled.",
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
            "phoneNumber",
            "You can have at most 3 phones. Remove one first.",
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
        return not_found(&id, "Phone");
    };
    // Okta: more than one challenge every 30 seconds is answered 429.
    let next = match next_challenge(phone.challenge.as_ref(), &rules, now) {
        Ok(next) => next,
        Err(wait) => return throttled(wait),
    };
    let code = next.code().to_owned();
    let number = phone.number.clone();
    phone.challenge = Some(next);
    tenant.send_code(channel, &number, &code, "your phone number");
    let href = format!("{}/idp/myaccount/phones/{id}/verify", app.base_url);
    versioned(
        StatusCode::OK,
        json!({ "_links": { "verify": link(href, &["POST"]) } }),
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
    let request: Verification = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let now = tenant.now();
    let Some(phone) = tenant.users[user].phones.iter_mut().find(|p| p.id == id) else {
        return not_found(&id, "Phone");
    };
    let check = match phone.challenge.as_mut() {
        Some(c) => c.check(&request.verification_code, now),
        None => CodeCheck::Void,
    };
    if let Some(response) = refused(check) {
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
    let phones = &mut tenant.users[user].phones;
    let before = phones.len();
    phones.retain(|p| p.id != id);
    if phones.len() == before {
        return not_found(&id, "Phone");
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
            Some("+14255550123")
        );
        assert_eq!(
            normalise_phone("+33 6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        for bad in [
            "0612345678",
            "+0123456789",
            "+1-800-FLOWERS",
            "+１２３４５６７８",
            "+1234",
            "+1234567890123456",
            "",
        ] {
            assert_eq!(normalise_phone(bad), None, "{bad}");
        }
    }
}
