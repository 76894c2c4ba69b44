//! Okta's error answers (`errorCode`, `errorSummary`, `errorCauses`) in the user's terms.
//!
//! The codes, statuses and texts recognised here are those of Okta's MyAccount OpenAPI examples
//! and its error catalogue (vendored in `tests/contract/specs/okta/`); every documented example
//! is run through [`from_response`] by `tests/documented_okta_errors.rs`.

use openidconnect::http::{header, HeaderMap, StatusCode};
use serde_json::Value;

use crate::auth::untrusted_text;
use crate::providers::ProviderError;

/// Which kind of Okta call failed: the same status means different things on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OktaCall {
    /// A MyAccount call with the user's bearer token.
    MyAccount,
    /// MyAccount's check of a one-time code (`…/verify`), where Okta answers a wrong code with
    /// 401 `E0000004` (`User-Failed-To-Answer-Challenge-401`), not with a token problem.
    MyAccountVerify,
    /// The Authentication API (recovery): no bearer, a state token in the body.
    Authn,
}

impl OktaCall {
    /// The kind of call a request is, from whether it is signed in and its path.
    pub fn of(signed_in: bool, path: &str) -> OktaCall {
        match (signed_in, path.trim_end_matches('/').ends_with("/verify")) {
            (false, _) => OktaCall::Authn,
            (true, true) => OktaCall::MyAccountVerify,
            (true, false) => OktaCall::MyAccount,
        }
    }

    fn signed_in(self) -> bool {
        self != OktaCall::Authn
    }
}

/// The parts of Okta's error body the mapping reads; causes are untrusted plain text.
struct OktaError {
    code: String,
    summary: String,
    causes: Vec<String>,
    id: Option<String>,
}

impl OktaError {
    fn parse(body: &[u8]) -> OktaError {
        let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let text = |v: &Value| v.as_str().map(untrusted_text).unwrap_or_default();
        OktaError {
            code: text(&json["errorCode"]),
            summary: text(&json["errorSummary"]),
            causes: json["errorCauses"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c["errorSummary"].as_str())
                        .map(untrusted_text)
                        .collect()
                })
                .unwrap_or_default(),
            id: json["errorId"].as_str().map(untrusted_text),
        }
    }

    /// Whether the summary or any cause mentions `needle` (case-insensitive).
    fn mentions(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        std::iter::once(&self.summary)
            .chain(&self.causes)
            .any(|t| t.to_lowercase().contains(&needle))
    }
}

/// What an Okta error answer means for the user. `call` says what was asked; the status and
/// headers matter where the body alone is ambiguous (a 401 without `errorCode`, a 429).
pub fn from_response(
    call: OktaCall,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> ProviderError {
    let e = OktaError::parse(body);
    // A rejected bearer token is always "sign in again", whatever the body says.
    if call.signed_in() && status == StatusCode::UNAUTHORIZED && bearer_rejected(headers) {
        return ProviderError::SignInRequired;
    }
    by_code(call, status, headers, &e).unwrap_or_else(|| by_status(call, status, headers))
}

/// `WWW-Authenticate: Bearer … error="invalid_token"`: the access token itself was refused.
fn bearer_rejected(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("invalid_token"))
}

fn by_code(
    call: OktaCall,
    status: StatusCode,
    headers: &HeaderMap,
    e: &OktaError,
) -> Option<ProviderError> {
    let rate_limited = || ProviderError::RateLimited {
        retry_after: crate::providers::throttle::retry_after(headers),
    };
    Some(match e.code.as_str() {
        // E0000109: an SMS resent too soon; E0000150: the SMS cap (403, no rate-limit headers).
        "E0000047" | "E0000109" | "E0000150" => rate_limited(),
        "E0000004" => authentication_failed(call, e),
        "E0000011" if call.signed_in() => ProviderError::SignInRequired,
        // Authn: an expired or unknown state/recovery token; E0000079: one used out of turn.
        "E0000011" | "E0000079" => ProviderError::SessionExpired,
        "E0000068" => passcode(e),
        "E0000087" => ProviderError::WrongAnswer,
        // E0000014 is what `/authn/credentials/reset_password` documents; E0000080 the catalogue.
        "E0000080" | "E0000014" => ProviderError::PasswordRejected {
            reasons: e.causes.clone(),
        },
        "E0000006" | "E0000015" => ProviderError::PermissionMissing {
            permission: (e.code == "E0000015").then_some("Okta MyAccount API"),
            request_id: e.id.clone(),
        },
        "E0000038" | "E0000034" | "E0000095" | "E0000069" | "E0000119" => ProviderError::NotAllowed,
        "E0000157" if e.mentions("transactionHandle") => ProviderError::CodeSpent,
        "E0000157" => ProviderError::AlreadyRegistered,
        "E0000001" => validation(status, e),
        // The e-mail challenge is gone (answered, expired): a new code is needed.
        "E0000007" if e.mentions("IdpMyAccountChallenge") => ProviderError::CodeSpent,
        "E0000007" | "E0000008" => ProviderError::MethodGone,
        "E0000138" => ProviderError::CodeNotSent,
        "E0000003" | "E0000019" | "E0000149" => refused(status),
        _ => return None,
    })
}

/// 401 `E0000004`: on a code check, the code was wrong (`User-Failed-To-Answer-Challenge-401`)
/// unless the cause says the user is not authorised (`Unauthorized-User-401`).
fn authentication_failed(call: OktaCall, e: &OktaError) -> ProviderError {
    match call {
        OktaCall::MyAccountVerify if !e.mentions("not authorized") => ProviderError::WrongCode,
        OktaCall::Authn => ProviderError::SessionExpired,
        _ => ProviderError::SignInRequired,
    }
}

/// Authn's 403 `E0000068`, told apart by its cause.
fn passcode(e: &OktaError) -> ProviderError {
    if e.mentions("expired") {
        ProviderError::CodeExpired
    } else if e.mentions("no longer") {
        ProviderError::CodeSpent
    } else {
        ProviderError::WrongCode
    }
}

/// 400 `E0000001` "Api validation failed: {0}": `{0}` names the field, or for a phone number
/// the parser's error type (`Not-A-Number`, `Invalid-Country-Code`, `Too-Long`).
fn validation(status: StatusCode, e: &OktaError) -> ProviderError {
    let field = e
        .summary
        .strip_prefix("Api validation failed:")
        .unwrap_or(&e.summary)
        .trim()
        .to_lowercase();
    if field.contains("cardinality") {
        ProviderError::MethodLimitReached
    } else if field.starts_with("error type:") || field == "phonenumber" {
        ProviderError::PhoneRefused
    } else if field == "password" {
        ProviderError::PasswordRejected {
            reasons: e.causes.clone(),
        }
    } else if field == "email" && e.mentions("delete") {
        ProviderError::NotAllowed
    } else if field == "email" {
        ProviderError::EmailRefused
    } else if field.contains("verificationcode") {
        // `Invalid-Phone-Factor-Id`: "factorId and/or verificationCode" (a code not 6 digits).
        ProviderError::WrongCode
    } else {
        // `Method`, `Transaction`: Latchkey's request itself was refused.
        refused(status)
    }
}

/// Latchkey's request itself was refused (406, a field the user did not type): no retry,
/// input or sign-in changes that.
fn refused(status: StatusCode) -> ProviderError {
    ProviderError::Refused {
        status: status.as_u16(),
    }
}

/// No `errorCode` Latchkey knows: the status alone.
fn by_status(call: OktaCall, status: StatusCode, headers: &HeaderMap) -> ProviderError {
    match status {
        StatusCode::TOO_MANY_REQUESTS => ProviderError::RateLimited {
            retry_after: crate::providers::throttle::retry_after(headers),
        },
        StatusCode::UNAUTHORIZED if call.signed_in() => ProviderError::SignInRequired,
        StatusCode::UNAUTHORIZED => ProviderError::SessionExpired,
        StatusCode::NOT_ACCEPTABLE => refused(status),
        _ => ProviderError::Unexpected {
            status: status.as_u16(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::http::HeaderValue;

    fn err(call: OktaCall, status: u16, body: &str) -> ProviderError {
        from_response(
            call,
            StatusCode::from_u16(status).expect("status"),
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn authn_passcode_causes_are_told_apart() {
        let e = |cause: &str| {
            err(
                OktaCall::Authn,
                403,
                &format!(
                    r#"{{"errorCode":"E0000068","errorCauses":[{{"errorSummary":"{cause}"}}]}}"#
                ),
            )
        };
        assert_eq!(
            e("Your token doesn't match our records. Please try again."),
            ProviderError::WrongCode
        );
        assert_eq!(e("Your passcode has expired."), ProviderError::CodeExpired);
        assert_eq!(
            e("This passcode can no longer be used."),
            ProviderError::CodeSpent
        );
    }

    #[test]
    fn a_wrong_code_on_verify_is_not_an_expired_sign_in() {
        // Error-VerifyPhoneEmail-Response-401 / User-Failed-To-Answer-Challenge-401.
        let body = r#"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorCauses":[{"errorSummary":"The verification challenge failed due to an invalid code."}]}"#;
        assert_eq!(
            err(OktaCall::MyAccountVerify, 401, body),
            ProviderError::WrongCode
        );
        // The same 401 with the bearer refused in `WWW-Authenticate` is the sign-in.
        let mut h = HeaderMap::new();
        h.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        assert_eq!(
            from_response(
                OktaCall::MyAccountVerify,
                StatusCode::UNAUTHORIZED,
                &h,
                body.as_bytes()
            ),
            ProviderError::SignInRequired
        );
        // E0000011 and a bare 401 mean the token, even on a verify call.
        assert_eq!(
            err(
                OktaCall::MyAccountVerify,
                401,
                r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#
            ),
            ProviderError::SignInRequired
        );
        assert_eq!(
            err(OktaCall::MyAccountVerify, 401, ""),
            ProviderError::SignInRequired
        );
    }

    #[test]
    fn the_call_kind_comes_from_the_bearer_and_the_path() {
        assert_eq!(
            OktaCall::of(true, "/idp/myaccount/phones/x/verify"),
            OktaCall::MyAccountVerify
        );
        assert_eq!(
            OktaCall::of(true, "/idp/myaccount/emails/x/challenge/y/verify"),
            OktaCall::MyAccountVerify
        );
        assert_eq!(
            OktaCall::of(true, "/idp/myaccount/phones"),
            OktaCall::MyAccount
        );
        assert_eq!(
            OktaCall::of(false, "/api/v1/authn/recovery/factors/sms/verify"),
            OktaCall::Authn
        );
    }

    #[test]
    fn undocumented_answers_stay_unexpected() {
        assert_eq!(
            err(OktaCall::MyAccount, 500, "<html>oops</html>"),
            ProviderError::Unexpected { status: 500 }
        );
        assert_eq!(
            err(OktaCall::Authn, 200, "not json"),
            ProviderError::Unexpected { status: 200 }
        );
    }
}
