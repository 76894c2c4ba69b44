//! The sandbox's own pages and test controls: the outbox (a page for people, JSON for tests), the
//! tenant clock, and the page an e-mailed recovery link opens. None of this exists at a vendor.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::http::{escape, json};
use crate::shared::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/outbox", get(outbox_page))
        .route("/sandbox/outbox", get(outbox_json))
        .route("/sandbox/clock", get(clock).post(advance_clock))
        .route("/sandbox/issued", get(issued))
        .route("/sandbox/requests", get(requests))
        .route("/sandbox/graph-outage", axum::routing::post(graph_outage))
        .route("/signin/reset-password/{token}", get(recovery_link))
}

async fn home(State(app): State<AppState>) -> Html<String> {
    let name = escape(&app.tenant().seed.tenant.name);
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}</title></head><body>\
<h1>{name}</h1><p>A local sandbox tenant for Latchkey.</p><ul>\
<li><a href=\"/outbox\">Outbox</a>: the SMS, calls and e-mails the tenant sent</li>\
<li><a href=\"/oauth2/default/.well-known/openid-configuration\">OpenID configuration</a></li></ul></body></html>"
    ))
}

#[derive(Deserialize)]
struct OutboxFilter {
    to: Option<String>,
}

async fn outbox_json(State(app): State<AppState>, Query(filter): Query<OutboxFilter>) -> Response {
    Json(json!({ "messages": app.tenant().outbox.list(filter.to.as_deref()) })).into_response()
}

async fn outbox_page(State(app): State<AppState>) -> Html<String> {
    let tenant = app.tenant();
    let name = escape(&tenant.seed.tenant.name);
    let rows: String = tenant
        .outbox
        .list(None)
        .iter()
        .map(|m| {
            format!(
                "<article><h2>{channel} to {to}</h2><p class=\"when\">{at}</p><p class=\"subject\">{subject}</p><pre>{body}</pre></article>",
                channel = match m.channel {
                    crate::outbox::Channel::Sms => "SMS",
                    crate::outbox::Channel::Call => "Voice call",
                    crate::outbox::Channel::Email => "E-mail",
                },
                to = escape(&m.to),
                at = m.at.format("%Y-%m-%d %H:%M:%S UTC"),
                subject = escape(&m.subject),
                body = escape(&m.body),
            )
        })
        .collect();
    let rows = if rows.is_empty() {
        "<p>Nothing sent yet. Codes appear here as soon as the tenant sends them.</p>".to_owned()
    } else {
        rows
    };
    // Refreshes itself so a code appears without a reload; no script needed.
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"5\">\
<title>Outbox — {name}</title><style>body{{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}\
@media (prefers-color-scheme:dark){{body{{background:#16161a;color:#e6e6ea}}}}article{{border-top:1px solid #8884;padding:.5rem 0}}\
h2{{font-size:1.1rem;margin:.3rem 0}}pre{{white-space:pre-wrap;font-size:1.05rem}}.when{{opacity:.7;margin:0}}</style></head>\
<body><main><h1>Outbox — {name}</h1><p>Every SMS, voice call and e-mail this sandbox tenant would send, newest first.</p>{rows}</main></body></html>"
    ))
}

/// Every bearer secret handed out so far, for tests that look for them on disk and in logs.
async fn issued(State(app): State<AppState>) -> Response {
    Json(json!({ "issued": app.tenant().issued.clone() })).into_response()
}

/// The vendor requests received so far (the last few hundred), for request-schema checks.
async fn requests(State(app): State<AppState>) -> Response {
    let received: Vec<_> = app.received().iter().cloned().collect();
    Json(json!({ "requests": received })).into_response()
}

/// `{"calls": n}`: the next n Graph calls answer 503 `serviceNotAvailable`.
async fn graph_outage(State(app): State<AppState>, body: Bytes) -> Response {
    let calls = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["calls"].as_u64())
        .and_then(|n| u32::try_from(n).ok());
    let Some(calls) = calls else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected {calls}"})),
        )
            .into_response();
    };
    app.tenant().graph_outage = calls;
    StatusCode::NO_CONTENT.into_response()
}

async fn clock(State(app): State<AppState>) -> Response {
    Json(json!({ "now": app.tenant().now() })).into_response()
}

#[derive(Deserialize)]
struct Advance {
    advance_seconds: u32,
}

async fn advance_clock(State(app): State<AppState>, body: Bytes) -> Response {
    let request: Advance = match json(&body) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({ "error": e }))).into_response(),
    };
    let now = app.tenant().clock.advance(request.advance_seconds);
    Json(json!({ "now": now })).into_response()
}

/// Where the e-mailed link lands: the desktop flow continues in the app with the code.
async fn recovery_link(Path(token): Path<String>) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reset your password</title></head><body><main>\
<h1>Reset your password</h1><p>Go back to Latchkey and enter this recovery code:</p><p><code>{}</code></p></main></body></html>",
        escape(&token)
    ))
}
