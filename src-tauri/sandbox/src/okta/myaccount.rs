//! Okta MyAccount API: a signed-in user's phones and e-mails, verified with one-time codes.
//! Every request needs `Accept: application/json; okta-version=1.0.0` (406 otherwise) and a bearer
//! token with the `okta.myAccount.*` scope of the operation.

use std::sync::MutexGuard;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    accepts_myaccount, bad_passcode, error, invalid_token, malformed, not_allowed, not_found,
    throttled, validation, EXPIRED_CODE, VOID_CODE, WRONG_CODE,
};
use crate::codes::{next_challenge, Challenge, CodeCheck};
use crate::http::{bearer, json};
use crate::outbox::Channel;
use crate::random;
use crate::seed::{PhoneKind, SeedMethod};
use crate::tenant::{Email, EmailRole, Phone, Tenant, UserId};
use crate::AppState;

const CONTENT_TYPE: &str = "application/json;okta-version=1.0.0";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/idp/myaccount/phones", get(list_phones).post(create_phone))
        .route(
            "/idp/myaccount/phones/{id}",
            get(get_phone).delete(delete_phone),
        )
        .route(
            "/idp/myaccount/phones/{id}/challenge",
            post(challenge_phone),
        )
        .route("/idp/myaccount/phones/{id}/verify", post(verify_phone))
        .route("/idp/myaccount/emails", get(list_emails).post(create_email))
        .route(
            "/idp/myaccount/emails/{id}",
            get(get_email).delete(delete_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge",
            post(challenge_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge/{challenge}",
            get(poll_email),
        )
        .route(
            "/idp/myaccount/emails/{id}/challenge/{challenge}/verify",
            post(verify_email),
        )
}

#[derive(Clone, Copy)]
enum Need {
    PhoneRead,
    PhoneManage,
    EmailRead,
    EmailManage,
}

impl Need {
    fn satisfied_by(self, scopes: &[String]) -> bool {
        let has = |s: &str| scopes.iter().any(|x| x == s);
        match self {
            Need::PhoneRead => {
                has("okta.myAccount.phone.read") || has("okta.myAccount.phone.manage")
            }
            Need::PhoneManage => has("okta.myAccount.phone.manage"),
            Need::EmailRead => {
                has("okta.myAccount.email.read") || has("okta.myAccount.email.manage")
            }
            Need::EmailManage => has("okta.myAccount.email.manage"),
        }
    }
}

/// The caller's tenant lock and user id, or the response that refuses the call.
fn caller<'a>(
    app: &'a AppState,
    headers: &HeaderMap,
    need: Need,
) -> Result<(MutexGuard<'a, Tenant>, UserId), Response> {
    if !accepts_myaccount(headers) {
        return Err(StatusCode::NOT_ACCEPTABLE.into_response());
    }
    let tenant = app.tenant();
    let Some(grant) = bearer(headers).and_then(|t| tenant.grant(t)) else {
        return Err(invalid_token(StatusCode::UNAUTHORIZED));
    };
    if !need.satisfied_by(&grant.scopes) {
        let mut refused = error(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
            &[],
        );
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\""),
        );
        return Err(refused);
    }
    Ok((tenant, grant.user))
}

fn versioned(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], Json(body)).into_response()
}

fn link(href: String, allow: &[&str]) -> Value {
    json!({ "href": href, "hints": { "allow": allow } })
}

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

fn email_json(base: &str, e: &Email) -> Value {
    let href = format!("{base}/idp/myaccount/emails/{}", e.id);
    let mut links = json!({
        "self": link(href.clone(), &["GET", "DELETE"]),
        "challenge": link(format!("{href}/challenge"), &["POST"]),
    });
    if let Some((cid, _)) = &e.challenge {
        links["verify"] = link(format!("{href}/challenge/{cid}/verify"), &["POST"]);
        links["poll"] = link(format!("{href}/challenge/{cid}"), &["GET"]);
    }
    json!({
        "id": e.id,
        "status": if e.verified { "VERIFIED" } else { "UNVERIFIED" },
        "roles": [match e.role { EmailRole::Primary => "PRIMARY", EmailRole::Secondary => "SECONDARY" }],
        "profile": { "email": e.address },
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

/// A lenient address check (RFC 5321 lengths, one `@`, a dotted domain).
fn plausible_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    address.len() <= 254
        && (1..=64).contains(&local.len())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

// ---- phones ----

async fn list_phones(State(app): State<AppState>, headers: HeaderMap) -> Response {
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

async fn get_phone(
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

fn yes() -> bool {
    true
}

fn delivery(method: Option<&str>) -> Result<Channel, Response> {
    match method.unwrap_or("SMS") {
        "SMS" => Ok(Channel::Sms),
        "CALL" => Ok(Channel::Call),
        _ => Err(validation("method", "The method must be SMS or CALL.")),
    }
}

async fn create_phone(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
    let phones = &tenant.users[user].phones;
    if phones.iter().any(|p| p.number == number) {
        return validation("phoneNumber", "This phone number is already enrolled.");
    }
    let kind = [
        PhoneKind::Mobile,
        PhoneKind::AlternateMobile,
        PhoneKind::Office,
    ]
    .into_iter()
    .find(|k| phones.iter().all(|p| p.kind != *k));
    let Some(kind) = kind else {
        return validation(
            "phoneNumber",
            "You can have at most 3 phones. Remove one first.",
        );
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

#[derive(Deserialize)]
struct PhoneChallenge {
    method: String,
    #[serde(default)]
    #[allow(dead_code)] // read by Okta only to pick the message wording
    retry: bool,
}

async fn challenge_phone(
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

#[derive(Deserialize)]
struct Verification {
    #[serde(rename = "verificationCode")]
    verification_code: String,
}

/// The response to a code check that did not succeed, or `None` when it did.
fn refused(check: CodeCheck) -> Option<Response> {
    match check {
        CodeCheck::Accepted => None,
        CodeCheck::Wrong => Some(bad_passcode(WRONG_CODE)),
        CodeCheck::Expired => Some(bad_passcode(EXPIRED_CODE)),
        CodeCheck::Void => Some(bad_passcode(VOID_CODE)),
    }
}

async fn verify_phone(
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

async fn delete_phone(
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

// ---- e-mails ----

async fn list_emails(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::EmailRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let list: Vec<_> = tenant.users[user]
        .emails
        .iter()
        .map(|e| email_json(&app.base_url, e))
        .collect();
    versioned(StatusCode::OK, json!(list))
}

async fn get_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::EmailRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match tenant.users[user].emails.iter().find(|e| e.id == id) {
        Some(e) => versioned(StatusCode::OK, email_json(&app.base_url, e)),
        None => not_found(&id, "Email"),
    }
}

#[derive(Deserialize)]
struct NewEmail {
    profile: EmailProfile,
    #[serde(rename = "sendEmail", default = "yes")]
    send_email: bool,
    role: String,
}

#[derive(Deserialize)]
struct EmailProfile {
    email: String,
}

async fn create_email(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let request: NewEmail = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let role = match request.role.as_str() {
        "SECONDARY" => EmailRole::Secondary,
        // Changing the primary address is an admin flow in this tenant.
        "PRIMARY" => return not_allowed(),
        _ => return validation("role", "The role must be PRIMARY or SECONDARY."),
    };
    if !tenant.method_allowed(SeedMethod::Email) {
        return not_allowed();
    }
    let address = request.profile.email.trim().to_owned();
    if !plausible_email(&address) {
        return validation("email", "Invalid email address.");
    }
    let u = &tenant.users[user];
    if u.emails
        .iter()
        .any(|e| e.address.eq_ignore_ascii_case(&address))
    {
        return validation(
            "email",
            "This email address is already in use on your account.",
        );
    }
    if u.emails.iter().any(|e| e.role == EmailRole::Secondary) {
        return validation(
            "email",
            "You already have a secondary email. Remove it first.",
        );
    }
    let email = Email {
        id: random::okta_id("eml"),
        address: address.clone(),
        role,
        verified: false,
        challenge: None,
    };
    let body = email_json(&app.base_url, &email);
    tenant.users[user].emails.push(email);
    if request.send_email {
        // Okta's own message carries a link; the in-app flow uses a challenge and its code.
        let now = tenant.now();
        let name = tenant.seed.tenant.name.clone();
        tenant.outbox.send(now, Channel::Email, &address, &format!("Confirm your {name} secondary email"),
            "Someone added this address to an account. To confirm it, open the account's security settings and ask for a verification code.".into(), None);
    }
    versioned(StatusCode::CREATED, body)
}

fn challenge_json(base: &str, e: &Email, cid: &str, c: &Challenge, status: &str) -> Value {
    let href = format!("{base}/idp/myaccount/emails/{}/challenge/{cid}", e.id);
    json!({
        "id": cid,
        "status": status,
        "expiresAt": c.expires_at().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "profile": { "email": e.address },
        "_links": {
            "verify": link(format!("{href}/verify"), &["POST"]),
            "poll": link(href, &["GET"]),
        },
    })
}

async fn challenge_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let now = tenant.now();
    let rules = tenant.seed.codes.clone();
    let Some(email) = tenant.users[user].emails.iter_mut().find(|e| e.id == id) else {
        return not_found(&id, "Email");
    };
    let open = email.challenge.as_ref().map(|(_, c)| c);
    let next = match next_challenge(open, &rules, now) {
        Ok(next) => next,
        Err(wait) => return throttled(wait),
    };
    let cid = random::okta_id("ech");
    let body = challenge_json(&app.base_url, email, &cid, &next, "VERIFYING");
    let code = next.code().to_owned();
    let address = email.address.clone();
    email.challenge = Some((cid, next));
    tenant.send_code(Channel::Email, &address, &code, "your email address");
    versioned(StatusCode::CREATED, body)
}

async fn poll_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((id, cid)): Path<(String, String)>,
) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::EmailRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let now = tenant.now();
    let Some(email) = tenant.users[user].emails.iter().find(|e| e.id == id) else {
        return not_found(&id, "Email");
    };
    match &email.challenge {
        Some((open, c)) if *open == cid => {
            let status = if c.expires_at() <= now {
                "EXPIRED"
            } else {
                "VERIFYING"
            };
            versioned(
                StatusCode::OK,
                challenge_json(&app.base_url, email, &cid, c, status),
            )
        }
        _ if email.verified => versioned(
            StatusCode::OK,
            json!({ "id": cid, "status": "VERIFIED", "profile": { "email": email.address } }),
        ),
        _ => not_found(&cid, "Challenge"),
    }
}

async fn verify_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((id, cid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let request: Verification = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let now = tenant.now();
    let Some(email) = tenant.users[user].emails.iter_mut().find(|e| e.id == id) else {
        return not_found(&id, "Email");
    };
    let check = match email.challenge.as_mut() {
        Some((open, c)) if *open == cid => c.check(&request.verification_code, now),
        _ => return not_found(&cid, "Challenge"),
    };
    if let Some(response) = refused(check) {
        return response;
    }
    email.verified = true;
    email.challenge = None;
    tenant.update_registration(user);
    StatusCode::OK.into_response()
}

async fn delete_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let emails = &mut tenant.users[user].emails;
    match emails.iter().position(|e| e.id == id) {
        None => not_found(&id, "Email"),
        Some(i) if emails[i].role == EmailRole::Primary => not_allowed(),
        Some(i) => {
            emails.remove(i);
            StatusCode::NO_CONTENT.into_response()
        }
    }
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

    #[test]
    fn email_check_is_lenient_but_bounded() {
        assert!(plausible_email("a.b+tag@example.co.uk"));
        assert!(plausible_email("élodie@exemple.fr"));
        for bad in [
            "no-at",
            "a@b",
            "a@.b.c",
            "a b@c.d",
            &format!("{}@e.com", "x".repeat(65)),
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
