//! Requests a client sent, as the sandbox logged them (`GET /sandbox/requests`), held against
//! the vendors' request schemas.

use serde_json::{Map, Value};

use crate::Spec;

/// What checking a request log found.
#[derive(Default, Debug)]
pub struct RequestReport {
    /// Requests held against a documented request schema (or documented as bodiless).
    pub checked: usize,
    /// Requests to paths no vendored spec describes (Okta's Classic authn, Entra's token).
    pub undescribed: Vec<String>,
    pub failures: Vec<String>,
}

/// Holds each logged request against the spec of its vendor: Okta MyAccount (`/idp/…`), Okta
/// OAuth (`/oauth2/…`, form bodies read as objects of strings) and Graph (`/v1.0/…`).
pub fn check_requests(log: &Value) -> RequestReport {
    let specs = [
        ("/idp/", "", Spec::okta_myaccount()),
        ("/oauth2/", "", Spec::okta_oauth()),
        ("/v1.0/", "/v1.0", Spec::graph()),
    ];
    let mut report = RequestReport::default();
    for request in log["requests"].as_array().into_iter().flatten() {
        let method = request["method"].as_str().unwrap_or_default();
        let path = request["path"].as_str().unwrap_or_default();
        let content_type = request["content_type"].as_str();
        let body = request["body"].as_str().unwrap_or_default();
        let line = format!("{method} {path}");
        let Some((_, strip, spec)) = specs.iter().find(|(prefix, _, _)| path.starts_with(prefix))
        else {
            report.undescribed.push(line);
            continue;
        };
        let local = path.strip_prefix(strip).unwrap_or(path);
        let Some(template) = spec.template_for(method, local) else {
            report.undescribed.push(line);
            continue;
        };
        let json_body = match content_type {
            Some(t) if t.starts_with("application/x-www-form-urlencoded") => {
                serde_json::to_vec(&form_as_object(body)).unwrap_or_default()
            }
            _ => body.as_bytes().to_vec(),
        };
        report.checked += 1;
        if let Err(e) = spec.check_request(method, &template, content_type, &json_body) {
            report.failures.push(e);
        }
    }
    report
}

/// `a=1&b=x` as `{"a":"1","b":"x"}`, the shape OpenAPI gives a form body's schema.
fn form_as_object(body: &str) -> Value {
    let mut map = Map::new();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(decode(k), Value::String(decode(v)));
    }
    Value::Object(map)
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_log_is_held_against_each_vendor() {
        let log = json!({"requests": [
            {"method": "POST", "path": "/idp/myaccount/phones/abc/verify",
             "content_type": "application/json", "body": "{\"verificationCode\":\"123456\"}"},
            {"method": "POST", "path": "/idp/myaccount/phones/abc/verify",
             "content_type": "application/json", "body": "{\"code\":\"123456\"}"},
            {"method": "POST", "path": "/v1.0/me/authentication/phoneMethods",
             "content_type": "application/json", "body": "{\"phoneNumber\":\"+1 425\",\"phoneType\":\"pager\"}"},
            {"method": "POST", "path": "/api/v1/authn/recovery/password",
             "content_type": "application/json", "body": "{}"}
        ]});
        let report = check_requests(&log);
        assert_eq!(report.checked, 3);
        assert_eq!(
            report.undescribed,
            vec!["POST /api/v1/authn/recovery/password"]
        );
        assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
        assert!(
            report.failures[0].contains("verificationCode"),
            "{:?}",
            report.failures
        );
        assert!(
            report.failures[1].contains("pager"),
            "{:?}",
            report.failures
        );
    }

    #[test]
    fn form_bodies_read_as_objects() {
        assert_eq!(
            form_as_object(
                "grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&x=a+b"
            ),
            json!({"grant_type": "authorization_code", "redirect_uri": "http://127.0.0.1/cb", "x": "a b"})
        );
    }
}
