//! `/domains`: the tenant's one verified domain, with its password validity period and
//! notification window (or `null`, or a refusal for members, as the seed's `[graph]` says).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::{Call, Need, GRAPH};
use crate::shared::AppState;
use crate::tenant::Tenant;

fn domain_object(tenant: &Tenant) -> Value {
    let p = &tenant.seed.passwords;
    // Unset, both are `null` (Learn's get-domain example, get-domain.json).
    let set = tenant.seed.graph.password_validity_set;
    json!({
        "id": tenant.seed.tenant.domain,
        "authenticationType": "Managed",
        "isAdminManaged": true,
        "isDefault": true,
        "isInitial": false,
        "isRoot": true,
        "isVerified": true,
        "passwordNotificationWindowInDays": set.then_some(p.notification_window_days),
        "passwordValidityPeriodInDays": set.then_some(p.validity_days),
        "supportedServices": ["Email", "OfficeCommunicationsOnline"],
    })
}

pub(super) async fn domains(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let (tenant, _, call) = try_caller!(app, headers, Need::DomainRead);
    if !tenant.seed.graph.members_read_domains {
        return members_refused(&call);
    }
    call.ok(json!({
        "@odata.context": format!("{GRAPH}/$metadata#domains"),
        "value": [domain_object(&tenant)],
    }))
}

pub(super) async fn domain(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (tenant, _, call) = try_caller!(app, headers, Need::DomainRead);
    if !tenant.seed.graph.members_read_domains {
        return members_refused(&call);
    }
    if !id.eq_ignore_ascii_case(&tenant.seed.tenant.domain) {
        return call.error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."));
    }
    let mut object = domain_object(&tenant);
    object["@odata.context"] = json!(format!("{GRAPH}/$metadata#domains/$entity"));
    call.ok(object)
}

/// A tenant that keeps domains to the roles Learn lists for `GET /domains/{id}`
/// (get-domain.json `rolesListedForWorkAccount`): a member is refused even with the scope.
fn members_refused(call: &Call) -> Response {
    call.error(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}
