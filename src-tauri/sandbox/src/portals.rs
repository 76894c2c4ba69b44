//! Stand-ins for Microsoft's two web pages Latchkey hands users to, which have no API:
//! My Sign-ins security info (`https://mysignins.microsoft.com/security-info`), where a user adds
//! a phone or an e-mail, and the SSPR portal (`https://passwordreset.microsoftonline.com/`).
//!
//! Microsoft confirms each new method with a code on its own page; Latchkey never sees that
//! step, so the stand-in adds the method as confirmed once the user's password is right. What
//! Latchkey sees afterwards, through Graph, is the same.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::http::{escape, form};
use crate::random;
use crate::seed::PhoneKind;
use crate::shared::AppState;
use crate::tenant::{Email, EmailRole, Phone, User};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/mysignins/security-info",
            get(security_info).post(add_method),
        )
        .route("/passwordreset/", get(reset_portal))
        .route("/sandbox/aadsts", axum::routing::post(set_aadsts))
}

const STYLE: &str = "body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}\
@media (prefers-color-scheme:dark){body{background:#16161a;color:#e6e6ea}}\
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}\
button{margin-top:1rem;padding:.5rem 1rem;font:inherit}.note{opacity:.8}";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
<style>{STYLE}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title)
    ))
}

async fn security_info() -> Html<String> {
    page(
        "Security info",
        "<p class=\"note\">Sandbox stand-in for My Sign-ins. Microsoft confirms each method with a code; here the password is enough.</p>\
<form method=\"post\"><label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" required>\
<label for=\"phone\">Phone (E.164, e.g. +33612345678)</label><input id=\"phone\" name=\"phone\" type=\"tel\">\
<label for=\"email\">E-mail</label><input id=\"email\" name=\"email\" type=\"email\">\
<button type=\"submit\">Add</button></form>",
    )
}

/// `+` and 8 to 15 digits, spaces ignored.
fn e164(typed: &str) -> Option<String> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact.strip_prefix('+')?;
    ((8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(compact)
}

async fn add_method(State(app): State<AppState>, body: Bytes) -> Response {
    let Ok(fields) = form(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            page("Security info", "<p>The form is malformed.</p>"),
        )
            .into_response();
    };
    let field = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or_default();
    let mut tenant = app.tenant();
    let Some(user) = tenant
        .find_user(field("username"))
        .filter(|&u| tenant.users[u].password_matches(field("password")))
    else {
        return (
            StatusCode::UNAUTHORIZED,
            page(
                "Security info",
                "<p role=\"alert\">Your account or password is incorrect.</p>",
            ),
        )
            .into_response();
    };
    let phone = match typed_phone(field("phone")) {
        Ok(phone) => phone,
        Err(refusal) => return refusal,
    };
    let email = Some(field("email")).filter(|e| e.contains('@'));
    add_confirmed(&mut tenant.users[user], phone, email);
    tenant.update_registration(user);
    page(
        "Security info",
        "<p role=\"status\">Your security info was updated.</p>",
    )
    .into_response()
}

/// The phone typed in the form, if any, or the page asking for its country code.
fn typed_phone(typed: &str) -> Result<Option<String>, Response> {
    match typed {
        "" => Ok(None),
        typed => e164(typed).map(Some).ok_or_else(|| {
            (
                StatusCode::BAD_REQUEST,
                page(
                    "Security info",
                    "<p role=\"alert\">Enter the number with its country code.</p>",
                ),
            )
                .into_response()
        }),
    }
}

/// Adds the methods as already confirmed, each replacing the one of its kind.
fn add_confirmed(u: &mut User, phone: Option<String>, email: Option<&str>) {
    if let Some(number) = phone {
        // Microsoft's "Phone" method is the mobile phone: a new one replaces the old.
        u.phones.retain(|p| p.kind != PhoneKind::Mobile);
        u.phones.push(Phone {
            id: random::okta_id("sms"),
            number,
            kind: PhoneKind::Mobile,
            verified: true,
            challenge: None,
        });
    }
    if let Some(address) = email {
        u.emails.retain(|e| e.role != EmailRole::Secondary);
        u.emails.push(Email {
            id: random::okta_id("eml"),
            address: address.to_owned(),
            role: EmailRole::Secondary,
            verified: true,
            challenge: None,
        });
    }
}

#[derive(Deserialize)]
struct PortalQuery {
    username: Option<String>,
}

/// The first page of the SSPR portal, with the username filled in as the real one does.
async fn reset_portal(Query(q): Query<PortalQuery>) -> Html<String> {
    page(
        "Get back into your account",
        &format!(
            "<p class=\"note\">Sandbox stand-in for passwordreset.microsoftonline.com.</p>\
<label for=\"username\">Email or Username</label><input id=\"username\" name=\"username\" value=\"{}\">",
            escape(q.username.as_deref().unwrap_or_default())
        ),
    )
}

#[derive(Deserialize)]
struct AadstsFault {
    username: String,
    /// 0 clears the fault.
    code: u32,
}

/// Test control: the Entra token endpoint answers this user with `AADSTS{code}`.
async fn set_aadsts(State(app): State<AppState>, body: Bytes) -> Response {
    let Ok(fault) = crate::http::json::<AadstsFault>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected {username, code}"})),
        )
            .into_response();
    };
    let mut tenant = app.tenant();
    let key = fault.username.trim().to_lowercase();
    if fault.code == 0 {
        tenant.aadsts_faults.remove(&key);
    } else {
        tenant.aadsts_faults.insert(key, fault.code);
    }
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn phone_numbers_need_their_country_code() {
        assert_eq!(
            super::e164("+33 6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(super::e164("0612345678"), None);
        assert_eq!(super::e164("+33 6 12 AB"), None);
    }
}
