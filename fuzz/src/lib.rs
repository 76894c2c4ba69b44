//! What the targets share: turning fuzz bytes into the provider-shaped inputs the decoders take
//! (JSON values with the vendors' keys, HTTP headers with the names that matter), so libFuzzer
//! spends its time in Latchkey's code rather than rediscovering JSON syntax.

use http::header::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{Map, Value};

/// Keys and strings the Okta and Graph decoders look for: drawn often, so deep paths are hit.
const WORDS: &[&str] = &[
    "id",
    "profile",
    "phoneNumber",
    "email",
    "status",
    "VERIFIED",
    "UNVERIFIED",
    "roles",
    "PRIMARY",
    "SECONDARY",
    "stateToken",
    "factorType",
    "SMS",
    "sms",
    "EMAIL",
    "CALL",
    "call",
    "RECOVERY_CHALLENGE",
    "RECOVERY",
    "PASSWORD_RESET",
    "SUCCESS",
    "_embedded",
    "user",
    "recovery_question",
    "question",
    "policy",
    "complexity",
    "minLength",
    "minLowerCase",
    "minUpperCase",
    "minNumber",
    "minSymbol",
    "excludeUsername",
    "age",
    "historyCount",
    "errorCode",
    "errorSummary",
    "errorCauses",
    "errorId",
    "E0000004",
    "E0000001",
    "E0000011",
    "E0000047",
    "E0000068",
    "E0000080",
    "E0000095",
    "error",
    "code",
    "message",
    "innerError",
    "request-id",
    "date",
    "value",
    "@odata.type",
    "@odata.nextLink",
    "#microsoft.graph.passwordAuthenticationMethod",
    "#microsoft.graph.phoneAuthenticationMethod",
    "#microsoft.graph.emailAuthenticationMethod",
    "phoneType",
    "mobile",
    "emailAddress",
    "lastPasswordChangeDateTime",
    "2024-05-01T10:00:00Z",
    "passwordPolicies",
    "DisablePasswordExpiration",
    "passwordValidityPeriodInDays",
    "accessDenied",
    "Authorization_RequestDenied",
    "invalidRequest",
    "error_description",
    "error_codes",
    "invalid_grant",
    "AADSTS50076",
    "AADSTS65001",
    "passcode",
    "password",
];

/// A string: mostly one of [`WORDS`], sometimes anything.
pub fn word(u: &mut Unstructured) -> Result<String> {
    if u.ratio(3, 4)? {
        Ok((*u.choose(WORDS)?).to_owned())
    } else {
        u.arbitrary()
    }
}

/// A JSON value at most `depth` levels deep, with keys and strings from [`WORDS`].
pub fn json(u: &mut Unstructured, depth: u8) -> Result<Value> {
    let leaf = depth == 0 || u.is_empty();
    Ok(match u.int_in_range(0..=if leaf { 4 } else { 6 })? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        4 => Value::String(word(u)?),
        5 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array((0..n).map(|_| json(u, depth - 1)).collect::<Result<_>>()?)
        }
        _ => {
            let mut map = Map::new();
            for _ in 0..u.int_in_range(0..=6)? {
                map.insert(word(u)?, json(u, depth - 1)?);
            }
            Value::Object(map)
        }
    })
}

/// A response body: a generated JSON document, or raw bytes (to reach the "not JSON" paths).
pub fn body(u: &mut Unstructured) -> Result<Vec<u8>> {
    if u.ratio(4, 5)? {
        Ok(serde_json::to_vec(&json(u, 5)?).unwrap_or_default())
    } else {
        u.arbitrary()
    }
}

/// Header names the decoders read, plus one they don't.
const HEADERS: &[&str] = &[
    "date",
    "retry-after",
    "x-rate-limit-reset",
    "www-authenticate",
    "content-type",
    "x-unrelated",
];

/// Values that parse, often, so the date and number paths are reached.
const HEADER_VALUES: &[&str] = &[
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 +0000",
    "120",
    "0",
    "-1",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "1445412480",
    "Bearer error=\"invalid_token\"",
    "Bearer error=\"insufficient_claims\", claims=\"e30=\"",
];

/// A header map of up to 6 headers, names from [`HEADERS`], values often from
/// [`HEADER_VALUES`]; values `http` would refuse are skipped.
pub fn headers(u: &mut Unstructured) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let name = HeaderName::from_static(u.choose(HEADERS)?);
        let value: Vec<u8> = if u.ratio(1, 2)? {
            u.choose(HEADER_VALUES)?.as_bytes().to_vec()
        } else {
            u.arbitrary()?
        };
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            map.append(name, value);
        }
    }
    Ok(map)
}

/// Whether `s` could be shown as untrusted provider text: no control character.
pub fn is_plain_text(s: &str) -> bool {
    !s.chars().any(char::is_control)
}
