//! One vendor's OpenAPI document: find the operation and response an exchange belongs to, and
//! hold the exchange against it.

use serde_json::Value;

use crate::schema::{self, Direction};

/// A vendor's OpenAPI document, with the prefix its paths are served under in the sandbox.
pub struct Spec {
    pub name: &'static str,
    doc: Value,
}

/// One HTTP answer as a client saw it.
pub struct Exchange<'a> {
    pub method: &'a str,
    /// The documented path template, e.g. `/idp/myaccount/phones/{id}/verify`.
    pub template: &'a str,
    pub status: u16,
    pub content_type: Option<&'a str>,
    /// Response header names present (any case).
    pub headers: Vec<String>,
    pub body: &'a [u8],
}

impl Spec {
    pub fn load(name: &'static str, relative: &str) -> Spec {
        Spec {
            name,
            doc: crate::load(relative),
        }
    }

    pub fn okta_myaccount() -> Spec {
        Spec::load("Okta MyAccount", "okta/myaccount.json")
    }

    pub fn okta_oauth() -> Spec {
        Spec::load("Okta OAuth", "okta/oauth.json")
    }

    pub fn graph() -> Spec {
        Spec::load("Microsoft Graph", "graph/graph-v1.0-subset.json")
    }

    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// Every documented (method, path template, status key) of the spec, `2XX`-style ranges
    /// and `default` included as the spec writes them.
    pub fn pairs(&self) -> Vec<(String, String, String)> {
        let mut pairs = Vec::new();
        for (path, item) in self.doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if !is_method(method) {
                    continue;
                }
                for status in op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|r| r.0)
                {
                    pairs.push((method.to_uppercase(), path.clone(), status.clone()));
                }
            }
        }
        pairs
    }

    /// The documented template a concrete path matches, e.g. `/idp/myaccount/phones/abc` →
    /// `/idp/myaccount/phones/{id}`; literal segments win over parameters.
    pub fn template_for(&self, method: &str, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, &String)> = None;
        for (template, item) in self.doc["paths"].as_object().into_iter().flatten() {
            if item.get(method.to_lowercase()).is_none() {
                continue;
            }
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let fits = parts
                .iter()
                .zip(&segments)
                .all(|(t, s)| t.starts_with('{') || t == s);
            let literal = parts.iter().filter(|t| !t.starts_with('{')).count();
            if fits && best.is_none_or(|(n, _)| literal > n) {
                best = Some((literal, template));
            }
        }
        best.map(|(_, t)| t.clone())
    }

    fn operation(&self, method: &str, template: &str) -> Option<&Value> {
        self.doc["paths"].get(template)?.get(method.to_lowercase())
    }

    /// The status key an answer falls under: the exact code, else its range, else `default`.
    pub fn status_key(&self, method: &str, template: &str, status: u16) -> Option<String> {
        let responses = &self.operation(method, template)?["responses"];
        [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".to_owned(),
        ]
        .into_iter()
        .find(|key| responses.get(key).is_some())
    }

    /// Holds a response against its operation: a documented status, a documented
    /// `Content-Type`, the documented headers, and a body valid against the schema.
    pub fn check(&self, x: &Exchange) -> Result<String, String> {
        let op = self.operation(x.method, x.template).ok_or_else(|| {
            format!(
                "{} {} is not in the {} spec",
                x.method, x.template, self.name
            )
        })?;
        let key = self
            .status_key(x.method, x.template, x.status)
            .ok_or_else(|| {
                format!(
                    "{} {}: HTTP {} is not documented",
                    x.method, x.template, x.status
                )
            })?;
        let response = self.resolve(&op["responses"][&key]);
        let at = |what: String| format!("{} {} → {}: {what}", x.method, x.template, x.status);
        for (name, header) in response["headers"].as_object().into_iter().flatten() {
            let required = self.resolve(header)["required"].as_bool().unwrap_or(false);
            let present = x.headers.iter().any(|h| h.eq_ignore_ascii_case(name));
            if required && !present {
                return Err(at(format!("documented header {name} is missing")));
            }
        }
        let content = response["content"].as_object();
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            return if x.body.is_empty() || x.status == 204 {
                Ok(key)
            } else {
                Err(at("a body where none is documented".into()))
            };
        };
        if x.body.is_empty() {
            let schema_wanted = content.values().any(|m| m.get("schema").is_some());
            return if schema_wanted {
                Err(at("an empty body where a JSON body is documented".into()))
            } else {
                Ok(key)
            };
        }
        let sent = x.content_type.ok_or_else(|| at("no Content-Type".into()))?;
        let media = content
            .iter()
            .find(|(documented, _)| media_matches(documented, sent))
            .map(|(_, m)| m)
            .ok_or_else(|| {
                at(format!(
                    "Content-Type {sent:?} is not one of {:?}",
                    content.keys().collect::<Vec<_>>()
                ))
            })?;
        if let Some(schema) = media.get("schema") {
            let body: Value = serde_json::from_slice(x.body)
                .map_err(|e| at(format!("the body is not JSON: {e}")))?;
            schema::validate(&self.doc, schema, &body, Direction::Response)
                .map_err(|e| at(e.join("; ")))?;
        }
        Ok(key)
    }

    /// Holds a request body against the operation's request schema.
    pub fn check_request(
        &self,
        method: &str,
        template: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let op = self
            .operation(method, template)
            .ok_or_else(|| format!("{method} {template} is not in the {} spec", self.name))?;
        let request = self.resolve(&op["requestBody"]);
        let at = |what: String| format!("request {method} {template}: {what}");
        let Some(content) = request["content"].as_object() else {
            return if body.is_empty() {
                Ok(())
            } else {
                Err(at("a body where none is documented".into()))
            };
        };
        if body.is_empty() {
            return if request["required"].as_bool().unwrap_or(false) {
                Err(at("no body where one is required".into()))
            } else {
                Ok(())
            };
        }
        let sent = content_type.ok_or_else(|| at("no Content-Type".into()))?;
        let media = content
            .iter()
            .find(|(documented, _)| media_matches(documented, sent))
            .map(|(_, m)| m)
            .ok_or_else(|| at(format!("Content-Type {sent:?} is not documented")))?;
        if let Some(schema) = media.get("schema") {
            let body: Value = serde_json::from_slice(body)
                .map_err(|e| at(format!("the body is not JSON: {e}")))?;
            schema::validate(&self.doc, schema, &body, Direction::Request)
                .map_err(|e| at(e.join("; ")))?;
        }
        Ok(())
    }

    /// Follows `$ref`s inside this document, a few levels deep.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let Some(reference) = value["$ref"].as_str() else {
                return value;
            };
            match reference.strip_prefix('#') {
                Some(pointer) => value = self.doc.pointer(pointer).unwrap_or(&Value::Null),
                None => return &Value::Null,
            }
        }
        value
    }
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "post" | "put" | "patch" | "delete")
}

/// Whether a sent `Content-Type` is the documented one: same type, and every parameter the
/// documentation names (e.g. `okta-version=1.0.0`) present with its value. Spaces around `;`
/// do not matter; a documented bare type also accepts a sent type with parameters.
pub fn media_matches(documented: &str, sent: &str) -> bool {
    let parse = |s: &str| -> (String, Vec<String>) {
        let mut parts = s.split(';').map(|p| p.trim().to_ascii_lowercase());
        let essence = parts.next().unwrap_or_default();
        (essence, parts.filter(|p| !p.is_empty()).collect())
    };
    let (want, want_params) = parse(documented);
    let (got, got_params) = parse(sent);
    want == got && want_params.iter().all(|p| got_params.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_compare_as_types_with_parameters() {
        let okta = "application/json;okta-version=1.0.0";
        assert!(media_matches(okta, "application/json; okta-version=1.0.0"));
        assert!(!media_matches(okta, "application/json"));
        assert!(media_matches(
            "application/json",
            "application/json; charset=utf-8"
        ));
        assert!(!media_matches("application/json", "text/html"));
    }

    #[test]
    fn concrete_paths_find_their_template() {
        let spec = Spec::okta_myaccount();
        assert_eq!(
            spec.template_for("POST", "/idp/myaccount/phones/sms1/verify")
                .as_deref(),
            Some("/idp/myaccount/phones/{id}/verify")
        );
        assert_eq!(
            spec.template_for("GET", "/idp/myaccount/phones").as_deref(),
            Some("/idp/myaccount/phones")
        );
        assert_eq!(spec.template_for("PATCH", "/idp/myaccount/phones"), None);
    }

    #[test]
    fn a_documented_error_passes_and_an_undocumented_status_fails() {
        let spec = Spec::okta_myaccount();
        let body = br#"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorLink":"E0000004","errorId":"x","errorCauses":[]}"#;
        let mut x = Exchange {
            method: "POST",
            template: "/idp/myaccount/phones/{id}/verify",
            status: 401,
            content_type: Some("application/json;okta-version=1.0.0"),
            headers: Vec::new(),
            body,
        };
        assert_eq!(spec.check(&x).as_deref(), Ok("401"));
        x.status = 418;
        assert!(spec.check(&x).is_err());
        x.status = 401;
        x.body = br#"{"errorCode":5}"#;
        assert!(spec.check(&x).is_err(), "errorCode must be a string");
    }

    #[test]
    fn graph_ranges_and_request_bodies() {
        let spec = Spec::graph();
        assert_eq!(
            spec.status_key(
                "DELETE",
                "/me/authentication/phoneMethods/{phoneAuthenticationMethod-id}",
                204
            )
            .as_deref(),
            Some("2XX")
        );
        let template = "/me/authentication/phoneMethods";
        let good = br#"{"phoneNumber":"+1 4255550100","phoneType":"mobile"}"#;
        assert_eq!(
            spec.check_request("POST", template, Some("application/json"), good),
            Ok(())
        );
        let bad = br#"{"phoneNumber":"+1 4255550100","phoneType":"pager"}"#;
        assert!(spec
            .check_request("POST", template, Some("application/json"), bad)
            .is_err());
    }
}
