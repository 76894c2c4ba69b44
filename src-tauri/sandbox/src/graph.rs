//! Microsoft Graph v1.0 for a signed-in user: `/me`, `/me/authentication/*`, `/me/changePassword`
//! and `/domains`. Graph lets a user read their methods and delete phones and the e-mail, but not
//! add or change them (403 `accessDenied`), as PROVIDERS.md records from Microsoft's documentation.
//! Errors are OData: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.

use std::sync::MutexGuard;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::http::{bearer, form, json};
use crate::password;
use crate::random;
use crate::seed::PhoneKind;
use crate::tenant::{EmailRole, Tenant, UserId};
use crate::AppState;

const GRAPH: &str = "https://graph.microsoft.com/v1.0";
/// Graph's fixed method ids (PROVIDERS.md).
const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";
const EMAIL_METHOD_ID: &str = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1.0/me", get(me))
        .route("/v1.0/me/authentication/methods", get(methods))
        .route("/v1.0/me/authentication/methods/{id}", get(method))
        .route(
            "/v1.0/me/authentication/phoneMethods",
            get(phone_methods).post(self_service_refused),
        )
        .route(
            "/v1.0/me/authentication/phoneMethods/{id}",
            get(phone_method)
                .patch(self_service_refused_id)
                .delete(delete_phone),
        )
        .route(
            "/v1.0/me/authentication/emailMethods",
            get(email_methods).post(self_service_refused),
        )
        .route(
            "/v1.0/me/authentication/emailMethods/{id}",
            get(email_method)
                .patch(self_service_refused_id)
                .delete(delete_email),
        )
        .route("/v1.0/me/changePassword", post(change_password))
        .route("/v1.0/domains", get(domains))
        .route("/v1.0/domains/{id}", get(domain))
}

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

/// A request's context: the ids Graph answers with, kept for support.
struct Call {
    request_id: String,
    client_request_id: String,
    /// The tenant's time, sent as `Date` so that an advanced clock shows in every answer.
    now: chrono::DateTime<chrono::Utc>,
}

impl Call {
    fn new(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Call {
        let request_id = random::guid();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= 64)
            .map_or_else(|| request_id.clone(), str::to_owned);
        Call {
            request_id,
            client_request_id,
            now,
        }
    }

    fn stamp(&self, mut response: Response) -> Response {
        let h = response.headers_mut();
        for (name, value) in [
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
        ] {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        }
        let date = self.now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(v) = HeaderValue::from_str(&date) {
            h.insert(header::DATE, v);
        }
        response
    }

    fn ok(&self, body: Value) -> Response {
        self.stamp(Json(body).into_response())
    }

    fn status(&self, status: StatusCode) -> Response {
        self.stamp(status.into_response())
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        let body = json!({ "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
                "request-id": self.request_id,
                "client-request-id": self.client_request_id,
            },
        }});
        self.stamp((status, Json(body)).into_response())
    }
}

#[derive(Clone, Copy)]
enum Need {
    UserRead,
    MethodsRead,
    MethodsWrite,
    ChangePassword,
    DomainRead,
}

impl Need {
    fn satisfied_by(self, scopes: &[String]) -> bool {
        let has = |s: &str| scopes.iter().any(|x| x == s);
        match self {
            Need::UserRead => has("User.Read"),
            Need::MethodsRead => {
                has("UserAuthenticationMethod.Read") || has("UserAuthenticationMethod.ReadWrite")
            }
            Need::MethodsWrite => has("UserAuthenticationMethod.ReadWrite"),
            // Microsoft's page names User-PasswordProfile.ReadWrite.All; older tenants and tools
            // grant Directory.AccessAsUser.All, which also allows it.
            Need::ChangePassword => {
                has("User-PasswordProfile.ReadWrite.All") || has("Directory.AccessAsUser.All")
            }
            Need::DomainRead => has("Domain.Read.All"),
        }
    }

    /// Graph's own refusal codes differ by workload.
    fn refusal(self) -> (&'static str, &'static str) {
        match self {
            Need::MethodsRead | Need::MethodsWrite => {
                ("accessDenied", "Request Authorization failed")
            }
            _ => (
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            ),
        }
    }
}

/// Authenticates and authorises a call, applying the per-user throttling budget.
fn caller<'a>(
    app: &'a AppState,
    headers: &HeaderMap,
    need: Need,
) -> Result<(MutexGuard<'a, Tenant>, UserId, Call), Response> {
    let mut tenant = app.tenant();
    let call = Call::new(headers, tenant.now());
    let Some(token) = bearer(headers) else {
        let mut r = call.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    };
    let Some(grant) = tenant.grant(token) else {
        let mut r = call.error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        return Err(r);
    };
    let now = tenant.now();
    let limit = tenant.seed.rate_limits.graph;
    if let Err(t) = tenant
        .limiter
        .hit(&format!("graph:{}", grant.user), limit, now)
    {
        let mut r = call.error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests.",
        );
        if let Ok(v) = HeaderValue::from_str(&t.retry_after.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(r);
    }
    if !need.satisfied_by(&grant.scopes) {
        let (code, message) = need.refusal();
        return Err(call.error(StatusCode::FORBIDDEN, code, message));
    }
    Ok((tenant, grant.user, call))
}

macro_rules! try_caller {
    ($app:expr, $headers:expr, $need:expr) => {
        match caller(&$app, &$headers, $need) {
            Ok(c) => c,
            Err(r) => return r,
        }
    };
}

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

async fn me(
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
                "smsSignInState": "notAllowedByPolicy",
            })
        })
        .collect()
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

fn collection(user: &str, segment: &str, value: Vec<Value>) -> Value {
    json!({
        "@odata.context": format!("{GRAPH}/$metadata#users('{user}')/authentication/{segment}"),
        "value": value,
    })
}

async fn methods(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let id = tenant.users[user].object_id.clone();
    call.ok(collection(&id, "methods", all_methods(&tenant, user)))
}

fn not_found(call: &Call, id: &str) -> Response {
    call.error(
        StatusCode::NOT_FOUND,
        "itemNotFound",
        &format!("The requested resource '{id}' was not found."),
    )
}

async fn method(
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

async fn phone_methods(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let id = tenant.users[user].object_id.clone();
    call.ok(collection(&id, "phoneMethods", phone_list(&tenant, user)))
}

async fn phone_method(
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

async fn email_methods(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, user, call) = try_caller!(app, headers, Need::MethodsRead);
    let id = tenant.users[user].object_id.clone();
    call.ok(collection(&id, "emailMethods", email_list(&tenant, user)))
}

async fn email_method(
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

async fn self_service_refused(State(app): State<AppState>, headers: HeaderMap) -> Response {
    refuse_self_service(&app, &headers)
}

async fn self_service_refused_id(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(_id): Path<String>,
) -> Response {
    refuse_self_service(&app, &headers)
}

async fn delete_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::MethodsWrite);
    let phones = &mut tenant.users[user].phones;
    let Some(i) = phones
        .iter()
        .position(|p| p.verified && phone_id(p.kind) == id)
    else {
        return not_found(&call, &id);
    };
    if phones[i].kind == PhoneKind::Mobile
        && phones.iter().any(|p| p.kind == PhoneKind::AlternateMobile)
    {
        return call.error(StatusCode::BAD_REQUEST, "badRequest", "A user cannot have an alternateMobile number without a mobile number. Delete the alternateMobile number first.");
    }
    phones.remove(i);
    call.status(StatusCode::NO_CONTENT)
}

async fn delete_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::MethodsWrite);
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

#[derive(Deserialize)]
struct ChangePassword {
    #[serde(rename = "currentPassword")]
    current_password: String,
    #[serde(rename = "newPassword")]
    new_password: String,
}

async fn change_password(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (mut tenant, user, call) = try_caller!(app, headers, Need::ChangePassword);
    let request: ChangePassword = match json(&body) {
        Ok(r) => r,
        Err(_) => return call.error(StatusCode::BAD_REQUEST, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."),
    };
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

fn domain_object(tenant: &Tenant) -> Value {
    let p = &tenant.seed.passwords;
    json!({
        "id": tenant.seed.tenant.domain,
        "authenticationType": "Managed",
        "isAdminManaged": true,
        "isDefault": true,
        "isInitial": false,
        "isRoot": true,
        "isVerified": true,
        "passwordNotificationWindowInDays": p.notification_window_days,
        "passwordValidityPeriodInDays": p.validity_days,
        "supportedServices": ["Email", "OfficeCommunicationsOnline"],
    })
}

async fn domains(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, _, call) = try_caller!(app, headers, Need::DomainRead);
    call.ok(json!({
        "@odata.context": format!("{GRAPH}/$metadata#domains"),
        "value": [domain_object(&tenant)],
    }))
}

async fn domain(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, _, call) = try_caller!(app, headers, Need::DomainRead);
    if !id.eq_ignore_ascii_case(&tenant.seed.tenant.domain) {
        return call.error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."));
    }
    let mut object = domain_object(&tenant);
    object["@odata.context"] = json!(format!("{GRAPH}/$metadata#domains/$entity"));
    call.ok(object)
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
