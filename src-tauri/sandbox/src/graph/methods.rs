//! A user's authentication methods: the password, verified phones and the SSPR e-mail, read in
//! Graph's shapes, a page at a time when the seed says so; self-service adds and changes are
//! refused (403); deletes are allowed after a recent sign-in, except for a method in use.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::fresh::require_recent_sign_in;
use super::paging::page;
use super::{caller, not_found, Call, Need, GRAPH};
use crate::seed::PhoneKind;
use crate::shared::AppState;
use crate::tenant::{EmailRole, Tenant, UserId};

/// Graph's fixed method ids: the password's (list-passwordmethods.json), the e-mail's
/// (get-emailmethod.json) and the phones' (delete-phonemethod.json `fixedIds`), in
/// tests/contract/specs/graph/examples/.
const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";
const EMAIL_METHOD_ID: &str = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";

fn phone_id(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile => "3179e48a-750b-4051-897c-87b9720928f7",
        PhoneKind::AlternateMobile => "b6332ec1-7057-4abe-9331-3d72feddfe41",
        PhoneKind::Office => "e37fc753-ff3b-4958-9484-eaa9425c82bc",
    }
}

fn phone_type(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile => "mobile",
        PhoneKind::AlternateMobile => "alternateMobile",
        PhoneKind::Office => "office",
    }
}

/// Graph writes phone numbers as `+{country code} {number}`.
fn graph_phone(e164: &str) -> String {
    const TWO_DIGIT: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    let digits = e164.trim_start_matches('+');
    let cc = if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO_DIGIT.iter().any(|p| digits.starts_with(p)) {
        2
    } else {
        3
    };
    let (cc, rest) = digits.split_at(cc.min(digits.len()));
    format!("+{cc} {rest}")
}

fn all_methods(tenant: &Tenant, user: UserId) -> Vec<Value> {
    let u = &tenant.users[user];
    let mut list = vec![json!({
        "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
        "id": PASSWORD_METHOD_ID,
        "password": null,
        "createdDateTime": u.password_changed.to_rfc3339_opts(SecondsFormat::Secs, true),
    })];
    list.extend(phone_list(tenant, user).into_iter().map(|mut p| {
        p["@odata.type"] = json!("#microsoft.graph.phoneAuthenticationMethod");
        p
    }));
    list.extend(email_list(tenant, user).into_iter().map(|mut e| {
        e["@odata.type"] = json!("#microsoft.graph.emailAuthenticationMethod");
        e
    }));
    list
}

/// Only verified phones are authentication methods; Okta-side unverified ones are not shown.
fn phone_list(tenant: &Tenant, user: UserId) -> Vec<Value> {
    tenant.users[user]
        .phones
        .iter()
        .filter(|p| p.verified)
        .map(|p| {
            json!({
                "id": phone_id(p.kind),
                "phoneNumber": graph_phone(&p.number),
                "phoneType": phone_type(p.kind),
                "smsSignInState": sms_sign_in_state(tenant, p.kind),
            })
        })
        .collect()
}

/// SMS sign-in works only with a mobile number (list-phonemethods.json: the others are
/// `notSupported`), and only when the Authentication methods policy enables it.
fn sms_sign_in_state(tenant: &Tenant, kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile if tenant.seed.graph.sms_sign_in => "ready",
        PhoneKind::Mobile => "notAllowedByPolicy",
        PhoneKind::AlternateMobile | PhoneKind::Office => "notSupported",
    }
}

/// Graph's e-mail method is the SSPR alternate address, never the primary one.
fn email_list(tenant: &Tenant, user: UserId) -> Vec<Value> {
    tenant.users[user]
        .emails
        .iter()
        .filter(|e| e.verified && e.role == EmailRole::Secondary)
        .take(1)
        .map(|e| json!({ "id": EMAIL_METHOD_ID, "emailAddress": e.address }))
        .collect()
}

/// One page of a collection of the user's methods, at `/v1.0/me/authentication/{segment}`.
fn collection(
    app: &AppState,
    tenant: &Tenant,
    user: UserId,
    segment: &str,
    value: Vec<Value>,
    query: &HashMap<String, String>,
) -> Value {
    let id = &tenant.users[user].object_id;
    page(
        format!("{GRAPH}/$metadata#users('{id}')/authentication/{segment}"),
        value,
        tenant.seed.graph.page_size,
        query,
        &format!("{}/v1.0/me/authentication/{segment}", app.base_url),
    )
}

pub(super) async fn methods(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let all = all_methods(&tenant, user);
    call.ok(collection(&app, &tenant, user, "methods", all, &query))
}

pub(super) async fn method(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    match all_methods(&tenant, user)
        .into_iter()
        .find(|m| m["id"] == json!(id))
    {
        Some(m) => call.ok(m),
        None => not_found(&call, &id),
    }
}

pub(super) async fn phone_methods(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let phones = phone_list(&tenant, user);
    call.ok(collection(
        &app,
        &tenant,
        user,
        "phoneMethods",
        phones,
        &query,
    ))
}

pub(super) async fn phone_method(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    match phone_list(&tenant, user)
        .into_iter()
        .find(|m| m["id"] == json!(id))
    {
        Some(m) => call.ok(m),
        None => not_found(&call, &id),
    }
}

pub(super) async fn email_methods(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let emails = email_list(&tenant, user);
    call.ok(collection(
        &app,
        &tenant,
        user,
        "emailMethods",
        emails,
        &query,
    ))
}

pub(super) async fn email_method(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    match email_list(&tenant, user)
        .into_iter()
        .find(|m| m["id"] == json!(id))
    {
        Some(m) => call.ok(m),
        None => not_found(&call, &id),
    }
}

/// Graph refuses self-service writes of phone and e-mail methods.
fn refuse_self_service(app: &AppState, headers: &HeaderMap) -> Response {
    let (tenant, user, call) = match caller(app, headers, Need::MethodsWrite) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let name = tenant.users[user].username.clone();
    call.error(
        StatusCode::FORBIDDEN,
        "accessDenied",
        &format!("Self-service operations are currently not supported for user {name}."),
    )
}

pub(super) async fn self_service_refused(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Response {
    refuse_self_service(&app, &headers)
}

pub(super) async fn self_service_refused_id(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(_id): Path<String>,
) -> Response {
    refuse_self_service(&app, &headers)
}

pub(super) async fn delete_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::MethodsWrite);
    if let Err(challenge) = require_recent_sign_in(&call, &authority(&app, &tenant)) {
        return challenge;
    }
    let default = default_method(&tenant, user);
    let phones = &mut tenant.users[user].phones;
    let Some(i) = phones
        .iter()
        .position(|p| p.verified && phone_id(p.kind) == id)
    else {
        return not_found(&call, &id);
    };
    if let Some(refusal) = in_use(&call, phones[i].kind, default, phones) {
        return refusal;
    }
    phones.remove(i);
    call.status(StatusCode::NO_CONTENT)
}

/// Where a claims challenge sends the user to sign in again: the Entra flavour's tenant.
fn authority(app: &AppState, tenant: &Tenant) -> String {
    format!("{}/{}", app.base_url, tenant.seed.tenant.entra_tenant_id)
}

/// The phone the seed makes the user's default MFA method.
fn default_method(tenant: &Tenant, user: UserId) -> Option<PhoneKind> {
    let name = &tenant.users[user].username;
    tenant
        .seed
        .users
        .iter()
        .find(|u| u.username.eq_ignore_ascii_case(name))
        .and_then(|u| u.default_method)
}

/// Learn (phoneauthenticationmethod-delete): the default MFA method cannot be deleted (the
/// wording is the one observed, observed-default-method-delete-error.json), nor a mobile
/// number while an alternateMobile exists (Learn gives no wording; this one is ours).
fn in_use(
    call: &Call,
    kind: PhoneKind,
    default: Option<PhoneKind>,
    phones: &[crate::tenant::Phone],
) -> Option<Response> {
    if default == Some(kind) {
        let id = phone_id(kind);
        return Some(call.error(StatusCode::BAD_REQUEST, "badRequest", &format!("The requested authentication method id of [{id}] matches the user's current default authentication method, and cannot be deleted until the default authentication method is changed")));
    }
    if kind == PhoneKind::Mobile && phones.iter().any(|p| p.kind == PhoneKind::AlternateMobile) {
        return Some(call.error(StatusCode::BAD_REQUEST, "badRequest", "A user cannot have an alternateMobile number without a mobile number. Delete the alternateMobile number first."));
    }
    None
}

pub(super) async fn delete_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::MethodsWrite);
    if let Err(challenge) = require_recent_sign_in(&call, &authority(&app, &tenant)) {
        return challenge;
    }
    if id != EMAIL_METHOD_ID {
        return not_found(&call, &id);
    }
    let emails = &mut tenant.users[user].emails;
    let before = emails.len();
    emails.retain(|e| !(e.verified && e.role == EmailRole::Secondary));
    if emails.len() == before {
        return not_found(&call, &id);
    }
    call.status(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::graph_phone;

    #[test]
    fn graph_writes_the_country_code_apart() {
        assert_eq!(graph_phone("+14255550123"), "+1 4255550123");
        assert_eq!(graph_phone("+33612345678"), "+33 612345678");
        assert_eq!(graph_phone("+353871234567"), "+353 871234567");
    }
}
