//! Okta's error catalogue: each `errorCode` has one HTTP status and one `errorSummary` template.
//!
//! Okta's own documentation is not always one text per code: the MyAccount spec's wire
//! examples write some summaries differently (E0000006 "You don't have permission…", E0000047
//! "You exceeded the maximum number of requests…", E0000149 without its final period). A summary
//! passes when it fills the catalogue's template or is one the spec's examples show for that code.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub struct Catalogue {
    errors: Value,
    documented: BTreeMap<String, BTreeSet<String>>,
}

impl Catalogue {
    /// The vendored subset of Okta's catalogue (`specs/okta/error-codes.json`).
    pub fn okta() -> Catalogue {
        let mut documented = BTreeMap::new();
        collect_summaries(&crate::load("okta/myaccount.json"), &mut documented);
        Catalogue {
            errors: crate::load("okta/error-codes.json")["errors"].clone(),
            documented,
        }
    }

    /// Whether an Okta error body agrees with the catalogue: a known code, the code's status,
    /// and a summary that fills the code's template (`{0}` stands for any text).
    pub fn check(&self, status: u16, body: &Value) -> Result<(), String> {
        let code = body["errorCode"]
            .as_str()
            .ok_or_else(|| format!("no errorCode in {body}"))?;
        let entry = &self.errors[code];
        if entry.is_null() {
            return Err(format!("{code} is not in the catalogue"));
        }
        if entry["statusCode"].as_u64() != Some(u64::from(status)) {
            return Err(format!(
                "{code} is HTTP {} in the catalogue, answered with {status}",
                entry["statusCode"]
            ));
        }
        let template = entry["errorSummary"].as_str().unwrap_or_default();
        let summary = body["errorSummary"].as_str().unwrap_or_default();
        let shown = self
            .documented
            .get(code)
            .is_some_and(|s| s.contains(summary));
        if fills(template, summary) || shown {
            Ok(())
        } else {
            Err(format!(
                "{code}'s errorSummary is {summary:?}; the catalogue says {template:?}"
            ))
        }
    }

    /// The catalogue's summary for a code, when it has no `{0}` to fill.
    pub fn summary(&self, code: &str) -> Option<&str> {
        self.errors[code]["errorSummary"].as_str()
    }
}

/// Every (errorCode, errorSummary) pair written anywhere in a spec's examples.
fn collect_summaries(value: &Value, into: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        Value::Object(map) => {
            if let (Some(code), Some(summary)) = (
                map.get("errorCode").and_then(Value::as_str),
                map.get("errorSummary").and_then(Value::as_str),
            ) {
                into.entry(code.to_owned())
                    .or_default()
                    .insert(summary.to_owned());
            }
            map.values().for_each(|v| collect_summaries(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_summaries(v, into)),
        _ => {}
    }
}

/// Whether `text` is `template` with each `{n}` replaced by some non-empty text.
fn fills(template: &str, text: &str) -> bool {
    let parts: Vec<&str> = split_placeholders(template);
    if parts.len() == 1 {
        return template == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.len() > part.len() && rest.ends_with(part);
        } else {
            match rest.get(1..).and_then(|r| r.find(part)) {
                Some(at) => rest = &rest[at + 1 + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn split_placeholders(template: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        match rest[start..].find('}') {
            Some(len)
                if rest[start + 1..start + len]
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                parts.push(&rest[..start]);
                rest = &rest[start + len + 1..];
            }
            _ => break,
        }
    }
    parts.push(rest);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_are_filled_not_matched_loosely() {
        assert!(fills(
            "Not found: {0}",
            "Not found: Resource not found: x (Phone)"
        ));
        assert!(!fills("Not found: {0}", "Not found: "));
        assert!(!fills("Not found: {0}", "Nothing found: x"));
        assert!(fills("Authentication failed", "Authentication failed"));
        assert!(!fills("Authentication failed", "Authentication failed."));
    }

    #[test]
    fn a_body_is_held_against_its_code() {
        let catalogue = Catalogue::okta();
        let ok = json!({"errorCode": "E0000004", "errorSummary": "Authentication failed"});
        assert_eq!(catalogue.check(401, &ok), Ok(()));
        assert!(catalogue.check(403, &ok).is_err(), "wrong status");
        let invented = json!({"errorCode": "E0000004", "errorSummary": "Wrong code"});
        assert!(catalogue.check(401, &invented).is_err(), "invented summary");
        assert!(catalogue
            .check(400, &json!({"errorCode": "E9999999"}))
            .is_err());
    }
}
