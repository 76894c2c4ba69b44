//! MyAccount e-mails: list, read, add a secondary address, challenge it (a code is e-mailed),
//! poll and verify the challenge, and remove it. The primary address is the admin's to change.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::caller::{caller, Need};
use super::requests::{yes, Verification};
use super::responses::{link, refused, versioned};
use crate::codes::{next_challenge, Challenge};
use crate::http::json;
use crate::okta::errors::{
    already_registered, malformed, not_allowed, not_found, throttled, validation, EMAIL_DISABLED,
};
use crate::outbox::Channel;
use crate::random;
use crate::seed::SeedMethod;
use crate::shared::AppState;
use crate::tenant::{Email, EmailRole};

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

pub(super) async fn list_emails(State(app): State<AppState>, headers: HeaderMap) -> Response {
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

pub(super) async fn get_email(
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
        None => not_found(&id, "UserProfileEmail"),
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

pub(super) async fn create_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
        "PRIMARY" => return not_allowed(&[]),
        _ => return validation("role", "The role must be PRIMARY or SECONDARY."),
    };
    if !tenant.method_allowed(SeedMethod::Email) {
        return not_allowed(&[EMAIL_DISABLED]);
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
        // Email-Conflict-409.
        return already_registered(
            "email",
            &format!("The email {address} is already registered to the current user profile."),
        );
    }
    if u.emails.iter().any(|e| e.role == EmailRole::Secondary) {
        // One secondary address: Okta's cardinality refusal, as phones have it
        // (`Cardinality-Max-Reached`).
        return validation(
            "Exceeded cardinality max",
            "This user account has reached the maximum number of enrolled email addresses.",
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

pub(super) async fn challenge_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !tenant.method_allowed(SeedMethod::Email) {
        return not_allowed(&[EMAIL_DISABLED]);
    }
    let now = tenant.now();
    let rules = tenant.seed.codes.clone();
    let Some(email) = tenant.users[user].emails.iter_mut().find(|e| e.id == id) else {
        return not_found(&id, "UserProfileEmail");
    };
    let open = email.challenge.as_ref().map(|(_, c)| c);
    let next = match next_challenge(open, &rules, now) {
        Ok(next) => next,
        Err(wait) => return throttled(wait),
    };
    let cid = random::okta_id("ech");
    let body = challenge_json(&app.base_url, email, &cid, &next, "UNVERIFIED");
    let code = next.code().to_owned();
    let address = email.address.clone();
    email.challenge = Some((cid, next));
    tenant.send_code(Channel::Email, &address, &code, "your email address");
    versioned(StatusCode::CREATED, body)
}

pub(super) async fn poll_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((id, cid)): Path<(String, String)>,
) -> Response {
    let (tenant, user) = match caller(&app, &headers, Need::EmailRead) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(email) = tenant.users[user].emails.iter().find(|e| e.id == id) else {
        return not_found(&id, "UserProfileEmail");
    };
    match &email.challenge {
        // Pending, or expired (`expiresAt` says which): the spec's statuses are only VERIFIED
        // and UNVERIFIED (`GET …/challenge/{challengeId}` 200).
        Some((open, c)) if *open == cid => versioned(
            StatusCode::OK,
            challenge_json(&app.base_url, email, &cid, c, "UNVERIFIED"),
        ),
        _ if email.verified => versioned(
            StatusCode::OK,
            json!({ "id": cid, "status": "VERIFIED", "profile": { "email": email.address } }),
        ),
        _ => not_found(&cid, "IdpMyAccountChallenge"),
    }
}

pub(super) async fn verify_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((id, cid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (mut tenant, user) = match caller(&app, &headers, Need::EmailManage) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !tenant.method_allowed(SeedMethod::Email) {
        return not_allowed(&[EMAIL_DISABLED]);
    }
    let request: Verification = match json(&body) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    let now = tenant.now();
    let Some(email) = tenant.users[user].emails.iter_mut().find(|e| e.id == id) else {
        return not_found(&id, "UserProfileEmail");
    };
    let check = match email.challenge.as_mut() {
        Some((open, c)) if *open == cid => c.check(&request.verification_code, now),
        _ => return not_found(&cid, "IdpMyAccountChallenge"),
    };
    if let Some(response) = refused(check, || not_found(&cid, "IdpMyAccountChallenge")) {
        return response;
    }
    email.verified = true;
    email.challenge = None;
    tenant.update_registration(user);
    StatusCode::OK.into_response()
}

pub(super) async fn delete_email(
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
        None => not_found(&id, "UserProfileEmail"),
        // Invalid-Email-Deletion-400.
        Some(i) if emails[i].role == EmailRole::Primary => {
            validation("email", "Can't delete a verified email address.")
        }
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
