//! The sandbox's sign-in page: plain HTML, no script, usable with the keyboard alone.

use axum::response::Html;

use crate::http::escape;
use crate::tenant::{Flavour, Tenant};

const STYLE: &str = "body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e6ea;background:#16161a}input{background:#222;color:#eee}}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit}.error{color:#b3261e;font-weight:600}
.demo{margin-top:2rem;font-size:.9rem;border-top:1px solid #8884;padding-top:1rem}";

pub fn form(
    tenant: &Tenant,
    flavour: Flavour,
    tx: &str,
    username: &str,
    error: Option<&str>,
) -> Html<String> {
    let name = escape(&tenant.seed.tenant.name);
    let action = match flavour {
        Flavour::Okta => "/oauth2/default/v1/authorize".to_owned(),
        Flavour::Entra => format!(
            "/{}/oauth2/v2.0/authorize",
            tenant.seed.tenant.entra_tenant_id
        ),
    };
    let error = error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default();
    let demo = if tenant.seed.tenant.show_demo_users {
        let rows: String = tenant
            .seed
            .users
            .iter()
            .map(|u| {
                format!(
                    "<li><code>{}</code> — {}</li>",
                    escape(&u.username),
                    escape(&u.password)
                )
            })
            .collect();
        format!("<section class=\"demo\"><h2>Demo users</h2><p>This is a sandbox tenant. Sign in as:</p><ul>{rows}</ul></section>")
    } else {
        String::new()
    };
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in — {name}</title>\
<meta name=\"viewport\" content=\"width=device-width\"><style>{STYLE}</style></head><body><main>\
<h1>Sign in to {name}</h1>{error}\
<form method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"tx\" value=\"{tx}\">\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{user}\" required autofocus>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\" name=\"action\" value=\"sign_in\" id=\"sign-in\">Sign in</button>\
<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\" formnovalidate>Cancel</button>\
</form>{demo}</main></body></html>",
        tx = escape(tx),
        action = escape(&action),
        user = escape(username),
    ))
}

pub fn error(message: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in error</title><style>{STYLE}</style></head>\
<body><main><h1>Sign-in error</h1><p class=\"error\" role=\"alert\">{}</p></main></body></html>",
        escape(message)
    ))
}
