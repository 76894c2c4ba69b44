//! The signed-in user: `/me` (with `$select`) and `/me/changePassword`, which checks the
//! current password and the tenant's password policy.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{Need, GRAPH};
use crate::http::{form, json};
use crate::password;
use crate::shared::AppState;
use crate::tenant::{Tenant, UserId};

fn user_object(tenant: &Tenant, user: UserId) -> Map<String, Value> {
    let u = &tenant.users[user];
    let object = json!({
        "id": u.object_id,
        "businessPhones": [],
        "displayName": u.display_name,
        "givenName": u.given_name,
        "surname": u.family_name,
        "jobTitle": null,
        "mail": u.username,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
        "userPrincipalName": u.username,
        "lastPasswordChangeDateTime": u.password_changed.to_rfc3339_opts(SecondsFormat::Secs, true),
        "passwordPolicies": if u.password_never_expires { json!("DisablePasswordExpiration") } else { Value::Null },
    });
    match object {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Properties Graph returns when `$select` does not ask for others.
const DEFAULT_USER_PROPERTIES: &[&str] = &[
    "id",
    "businessPhones",
    "displayName",
    "givenName",
    "surname",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "userPrincipalName",
];

pub(super) async fn me(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::UserRead);
    let params = match form(query.unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(e) => return call.error(StatusCode::BAD_REQUEST, "BadRequest", &e),
    };
    let object = user_object(&tenant, user);
    let wanted: Vec<String> = match params.get("$select") {
        Some(select) => select.split(',').map(|s| s.trim().to_owned()).collect(),
        None => DEFAULT_USER_PROPERTIES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    };
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        json!(format!("{GRAPH}/$metadata#users/$entity")),
    );
    for name in wanted {
        match object.get(&name) {
            Some(v) => {
                out.insert(name, v.clone());
            }
            None => {
                return call.error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    &format!(
                        "Could not find a property named '{name}' on type 'microsoft.graph.user'."
                    ),
                );
            }
        }
    }
    call.ok(Value::Object(out))
}

#[derive(Deserialize)]
struct ChangePassword {
    #[serde(rename = "currentPassword")]
    current_password: String,
    #[serde(rename = "newPassword")]
    new_password: String,
}

pub(super) async fn change_password(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::ChangePassword);
    let request: ChangePassword = match json(&body) {
        Ok(r) => r,
        Err(_) => return call.error(StatusCode::BAD_REQUEST, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."),
    };
    // Microsoft documents no error for changePassword (Learn, user-changepassword: only 204).
    // These 400s and their wording are the sandbox's own; the client decides by status and
    // code and takes the wording only as a hint, so a real tenant's other wording is still
    // "reason unknown", never a guess.
    if !tenant.users[user].password_matches(&request.current_password) {
        return call.error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Invalid currentPassword.",
        );
    }
    let rules = tenant.seed.passwords.clone();
    let u = &tenant.users[user];
    let rejections = password::check(
        &rules,
        &u.username,
        &request.new_password,
        &u.recent_passwords(),
    );
    if !rejections.is_empty() {
        return call.error(StatusCode::BAD_REQUEST, "Request_BadRequest", "The specified password does not comply with password complexity requirements. Please provide a different password.");
    }
    let now = tenant.now();
    tenant.users[user].set_password(&request.new_password, now, rules.history);
    call.status(StatusCode::NO_CONTENT)
}
