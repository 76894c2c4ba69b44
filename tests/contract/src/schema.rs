//! OpenAPI 3.0 schemas as JSON Schema (2020-12), validated with the `jsonschema` crate.
//!
//! OpenAPI 3.0 differs from JSON Schema in two ways that matter for validation: `nullable: true`
//! and the boolean `exclusiveMinimum`/`exclusiveMaximum`. Both are rewritten; everything else
//! (`discriminator`, `example`, `x-*`) is an annotation a JSON Schema validator ignores.
//! Microsoft's converter also marks every type open with `additionalProperties: {type: object}`;
//! inside `allOf` inheritance that would refuse each property a sibling declares, so it is
//! dropped. In a request, a property with a `default` (Graph's `@odata.type`) may be left out.

use serde_json::{json, Map, Value};

/// Validates `instance` against `schema`, whose `$ref`s point into `doc` (`#/components/…`).
pub fn validate(
    doc: &Value,
    schema: &Value,
    instance: &Value,
    direction: Direction,
) -> Result<(), Vec<String>> {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert(
        "components".into(),
        to_json_schema(&doc["components"], direction),
    );
    root.insert("allOf".into(), json!([to_json_schema(schema, direction)]));
    let root = Value::Object(root);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .build(&root)
        .map_err(|e| vec![format!("the spec's schema does not compile: {e}")])?;
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Keys whose values are data, not schemas: never rewritten.
const DATA_KEYS: &[&str] = &[
    "example",
    "examples",
    "enum",
    "default",
    "const",
    "x-ms-enum",
];

/// Whether the instance is a response (server-filled properties required) or a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    Response,
    Request,
}

fn to_json_schema(value: &Value, direction: Direction) -> Value {
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| to_json_schema(v, direction)).collect())
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    out.insert(key.clone(), v.clone());
                } else {
                    out.insert(key.clone(), to_json_schema(v, direction));
                }
            }
            if out.get("additionalProperties") == Some(&json!({ "type": "object" })) {
                out.remove("additionalProperties");
            }
            relax_required(&mut out, direction);
            exclusive_bounds(&mut out, "exclusiveMinimum", "minimum");
            exclusive_bounds(&mut out, "exclusiveMaximum", "maximum");
            if out.remove("nullable") == Some(Value::Bool(true)) {
                return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Graph's `@odata.type` is required by the generated schemas on every type, but Microsoft's own
/// documented requests and responses (`examples/post-phonemethods.json`,
/// `list-phonemethods.json`, `get-domain.json`) leave it out wherever the URL names the type;
/// only a polymorphic collection carries it, and the suite checks that one itself. A request may
/// also leave out a property the server fills with its `default`.
fn relax_required(map: &mut Map<String, Value>, direction: Direction) {
    let defaulted: Vec<String> = map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, p)| direction == Direction::Request && p.get("default").is_some())
        .map(|(name, _)| name.clone())
        .chain(std::iter::once("@odata.type".to_owned()))
        .collect();
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.retain(|r| !r.as_str().is_some_and(|r| defaulted.iter().any(|d| d == r)));
    }
}

/// OpenAPI 3.0's `exclusiveMinimum: true` beside `minimum: n` is 2020-12's `exclusiveMinimum: n`.
fn exclusive_bounds(map: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    match map.get(exclusive) {
        Some(Value::Bool(true)) => {
            if let Some(n) = map.remove(bound) {
                map.insert(exclusive.into(), n);
            }
        }
        Some(Value::Bool(false)) => {
            map.remove(exclusive);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({ "components": { "schemas": {
            "Phone": {
                "type": "object",
                "required": ["id", "status"],
                "properties": {
                    "id": { "type": "string" },
                    "status": { "type": "string", "enum": ["VERIFIED", "UNVERIFIED"] },
                    "nick": { "type": "string", "nullable": true }
                }
            }
        }}})
    }

    fn validate_response(schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
        validate(&doc(), schema, instance, Direction::Response)
    }

    #[test]
    fn a_conforming_body_passes_and_each_breach_is_named() {
        let schema = json!({ "$ref": "#/components/schemas/Phone" });
        assert_eq!(
            validate_response(
                &schema,
                &json!({"id": "a", "status": "VERIFIED", "nick": null})
            ),
            Ok(())
        );
        let errors = validate_response(&schema, &json!({"id": 3, "status": "GONE"}))
            .expect_err("two breaches");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("/id")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("/status")), "{errors:?}");
    }

    #[test]
    fn nullable_is_only_null_where_declared() {
        let schema = json!({ "$ref": "#/components/schemas/Phone" });
        let nullable_missing = json!({"id": null, "status": "VERIFIED"});
        assert!(validate_response(&schema, &nullable_missing).is_err());
    }

    #[test]
    fn open_api_exclusive_minimum_is_rewritten() {
        let schema = json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true });
        assert!(validate_response(&schema, &json!(0)).is_err());
        assert_eq!(validate_response(&schema, &json!(1)), Ok(()));
    }
}
