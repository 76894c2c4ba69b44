//! Graph's refusals in the user's terms: the HTTP status and the OData error code decide, the
//! wording is only a hint where Microsoft documents no code. Errors are
//! `{"error":{"code","message","innerError":{…}}}` (https://learn.microsoft.com/graph/errors);
//! request ids are kept for support, tokens never.

use openidconnect::http::{header, HeaderMap, StatusCode};
use serde_json::Value;

use crate::auth::untrusted_text;
use crate::providers::error::Unconfirmed;
use crate::providers::exchange::Ask;
use crate::providers::ProviderError;

/// The Graph calls Latchkey makes: what a refusal means depends on which one was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphCall {
    /// `GET /me/authentication/methods`.
    ListMethods,
    /// `DELETE /me/authentication/phoneMethods/{id}` or `emailMethods/{id}`.
    DeleteMethod,
    /// `POST /me/authentication/phoneMethods` or `emailMethods`. Latchkey does not send it:
    /// Graph refuses self-service adds, so onboarding hands off to My Sign-ins; the refusal is
    /// named so that the tests can check it is read as "not allowed".
    AddMethod,
    /// `POST /me/changePassword`.
    ChangePassword,
    /// `GET /me?$select=…`.
    ReadUser,
    /// `GET /domains/{id}`.
    ReadDomain,
}

impl GraphCall {
    /// The request the call is, and for a change, what may have happened if its answer is lost.
    pub(crate) fn ask(self) -> Ask {
        match self {
            GraphCall::ListMethods | GraphCall::ReadUser | GraphCall::ReadDomain => Ask::Get,
            GraphCall::DeleteMethod => Ask::Delete(Unconfirmed::MethodChanged),
            GraphCall::AddMethod => Ask::Post(Unconfirmed::MethodChanged),
            GraphCall::ChangePassword => Ask::Post(Unconfirmed::PasswordChanged),
        }
    }

    /// The delegated permission the call's Learn page names (least privileged), told to IT
    /// when Graph says it is missing.
    pub fn permission(self) -> &'static str {
        match self {
            GraphCall::ListMethods => "UserAuthenticationMethod.Read",
            GraphCall::DeleteMethod | GraphCall::AddMethod => "UserAuthenticationMethod.ReadWrite",
            GraphCall::ChangePassword => "User-PasswordProfile.ReadWrite.All",
            GraphCall::ReadUser => "User.Read",
            GraphCall::ReadDomain => "Domain.Read.All",
        }
    }
}

/// The user-facing meaning of a Graph refusal of `call`: status, `WWW-Authenticate` and the
/// OData body as Graph sent them.
pub fn graph_refusal(
    call: GraphCall,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> ProviderError {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = json["error"]["code"].as_str().unwrap_or_default();
    let message = json["error"]["message"].as_str().unwrap_or_default();
    let status = status.as_u16();
    if matches!(status, 429 | 503) {
        // Graph throttling: wait what Retry-After says (seconds or a date), capped.
        return ProviderError::RateLimited {
            retry_after: crate::providers::throttle::retry_after(headers),
        };
    }
    // A claims challenge (401, or 403 under Conditional Access): a fresh sign-in that meets
    // the policy (MFA) is what Graph asks for, not a permission or a plain new sign-in.
    if matches!(status, 401 | 403) && claims_challenge(headers) {
        return ProviderError::ConfirmIdentity;
    }
    match status {
        401 => ProviderError::SignInRequired,
        403 => forbidden(call, code, message, headers, &json),
        400 => bad_request(call, code, message),
        // Server-side trouble passes: try again later. 404 too: the item went away meanwhile
        // (removed elsewhere), and the journeys read the list again before acting.
        404 | 500..=599 => ProviderError::Unexpected { status },
        // Any other documented refusal (409, 412, 416, …): retrying the same request is useless.
        _ if !code.is_empty() => ProviderError::Refused { status },
        _ => ProviderError::Unexpected { status },
    }
}

/// Whether `WWW-Authenticate` carries `error="insufficient_claims"` (Microsoft's claims
/// challenge, https://learn.microsoft.com/entra/identity-platform/claims-challenge).
fn claims_challenge(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .filter_map(|p| p.trim().split_once('='))
                .any(|(k, val)| {
                    k.trim().ends_with("error") && val.trim_matches('"') == "insufficient_claims"
                })
        })
}

/// 403: a missing permission only when Graph's code says authorisation was denied; the
/// self-service refusal of adds (Learn: "Self-service operations aren't supported") is a
/// policy, not a permission.
fn forbidden(
    call: GraphCall,
    code: &str,
    message: &str,
    headers: &HeaderMap,
    json: &Value,
) -> ProviderError {
    match code {
        "accessDenied" if message.starts_with("Self-service operations") => {
            ProviderError::NotAllowed
        }
        // `accessDenied` is Graph's documented code (graph/errors); the directory workload
        // (users, domains) answers `Authorization_RequestDenied`.
        "Authorization_RequestDenied" | "accessDenied" => {
            ProviderError::PermissionMissing {
                permission: Some(call.permission()),
                // Graph's id for this request, which Microsoft support asks for; never a token.
                request_id: headers
                    .get("request-id")
                    .and_then(|v| v.to_str().ok())
                    .or_else(|| json["error"]["innerError"]["request-id"].as_str())
                    .map(untrusted_text),
            }
        }
        _ => ProviderError::NotAllowed,
    }
}

/// 400: what the call was decides; Microsoft documents no error codes for these operations.
fn bad_request(call: GraphCall, code: &str, message: &str) -> ProviderError {
    let hint = message.to_ascii_lowercase();
    match call {
        GraphCall::ChangePassword => password_change_refusal(code, &hint, message),
        // Learn (phoneauthenticationmethod-delete): the default MFA method cannot be deleted,
        // nor a mobile number while an alternateMobile exists; observed as `badRequest`
        // (tests/contract/specs/graph/examples/observed-default-method-delete-error.json).
        GraphCall::DeleteMethod
            if is_bad_request(code)
                && (hint.contains("default authentication method")
                    || hint.contains("alternatemobile")) =>
        {
            ProviderError::MethodInUse
        }
        _ => ProviderError::Refused { status: 400 },
    }
}

fn is_bad_request(code: &str) -> bool {
    matches!(
        code,
        "badRequest" | "BadRequest" | "Request_BadRequest" | "invalidRequest"
    )
}

/// changePassword's refusals are undocumented: a 400 whose message names the current password
/// (or the sign-in service's AADSTS120000) is a wrong current password, one about the new
/// password's complexity (AADSTS120002/120003) a rejected password, anything else "unknown".
fn password_change_refusal(code: &str, hint: &str, message: &str) -> ProviderError {
    if !is_bad_request(code) {
        return ProviderError::PasswordChangeFailed;
    }
    if hint.contains("currentpassword")
        || hint.contains("current password")
        || hint.contains("aadsts120000")
    {
        return ProviderError::CurrentPasswordWrong;
    }
    let about_the_new_one = ["complexity", "newpassword", "aadsts120002", "aadsts120003"]
        .iter()
        .any(|h| hint.contains(h));
    if about_the_new_one {
        return ProviderError::PasswordRejected {
            reasons: vec![untrusted_text(message)],
        };
    }
    ProviderError::PasswordChangeFailed
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::http::HeaderValue;

    fn refusal(
        call: GraphCall,
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) -> ProviderError {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(
                header::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("header"),
            );
        }
        let status = StatusCode::from_u16(status).expect("status");
        graph_refusal(call, status, &map, body.as_bytes())
    }

    fn odata(code: &str, message: &str) -> String {
        serde_json::json!({ "error": { "code": code, "message": message } }).to_string()
    }

    /// Graph's 503 is throttling too (Microsoft's throttling guidance): wait, then retry.
    #[test]
    fn service_unavailable_is_a_wait_with_graphs_retry_after() {
        let body = odata("serviceNotAvailable", "Service unavailable");
        assert_eq!(
            refusal(GraphCall::ReadUser, 503, &[("retry-after", "7")], &body),
            ProviderError::RateLimited { retry_after: 7 }
        );
        assert_eq!(
            refusal(
                GraphCall::ReadUser,
                429,
                &[("retry-after", "12")],
                "not json"
            ),
            ProviderError::RateLimited { retry_after: 12 }
        );
        assert_eq!(
            refusal(GraphCall::ReadUser, 502, &[], &body),
            ProviderError::Unexpected { status: 502 }
        );
    }

    /// The old mapping read every 403 as a missing permission and every 401 as "sign in
    /// again"; a claims challenge is neither (Learn: graph/errors, "403 … insufficient_claims").
    #[test]
    fn a_claims_challenge_asks_to_confirm_identity_whatever_the_status() {
        let challenge = "Bearer realm=\"\", error=\"insufficient_claims\", claims=\"e30=\"";
        for status in [401, 403] {
            assert_eq!(
                refusal(
                    GraphCall::DeleteMethod,
                    status,
                    &[("www-authenticate", challenge)],
                    &odata("accessDenied", "x"),
                ),
                ProviderError::ConfirmIdentity,
                "{status}"
            );
        }
        assert!(matches!(
            refusal(
                GraphCall::DeleteMethod,
                403,
                &[],
                &odata("accessDenied", "Request Authorization failed")
            ),
            ProviderError::PermissionMissing {
                permission: Some("UserAuthenticationMethod.ReadWrite"),
                ..
            }
        ));
        assert_eq!(
            refusal(
                GraphCall::DeleteMethod,
                403,
                &[],
                &odata("somethingElse", "x")
            ),
            ProviderError::NotAllowed,
            "an unknown 403 is not read as a missing permission"
        );
    }

    #[test]
    fn a_method_in_use_is_told_by_code_and_hint_only_for_deletes() {
        let default = odata("badRequest", "The requested authentication method id of [x] matches the user's current default authentication method, and cannot be deleted until the default authentication method is changed");
        assert_eq!(
            refusal(GraphCall::DeleteMethod, 400, &[], &default),
            ProviderError::MethodInUse
        );
        // Learn: a mobile number cannot go while an alternateMobile exists.
        let alternate = odata("badRequest", "A user cannot have an alternateMobile number without a mobile number. Delete the alternateMobile number first.");
        assert_eq!(
            refusal(GraphCall::DeleteMethod, 400, &[], &alternate),
            ProviderError::MethodInUse
        );
        assert_eq!(
            refusal(GraphCall::ListMethods, 400, &[], &default),
            ProviderError::Refused { status: 400 }
        );
        assert_eq!(
            refusal(
                GraphCall::DeleteMethod,
                400,
                &[],
                &odata("badRequest", "Something else.")
            ),
            ProviderError::Refused { status: 400 }
        );
    }

    /// The old client looked for the literal `currentPassword`; a 400 without a recognisable
    /// reason was a guess. Now it is "unknown reason".
    #[test]
    fn password_change_refusals_without_a_known_reason_say_so() {
        let change = |code: &str, message: &str| {
            refusal(GraphCall::ChangePassword, 400, &[], &odata(code, message))
        };
        assert_eq!(
            change("Request_BadRequest", "Invalid currentPassword."),
            ProviderError::CurrentPasswordWrong
        );
        assert_eq!(
            change(
                "badRequest",
                "AADSTS120000: The current password is incorrect"
            ),
            ProviderError::CurrentPasswordWrong
        );
        assert!(matches!(
            change(
                "Request_BadRequest",
                "The specified password does not comply with password complexity requirements."
            ),
            ProviderError::PasswordRejected { .. }
        ));
        assert_eq!(
            change("Request_BadRequest", "Something went wrong."),
            ProviderError::PasswordChangeFailed
        );
        assert_eq!(
            change("generalException", "Invalid currentPassword."),
            ProviderError::PasswordChangeFailed,
            "wording alone does not decide"
        );
    }
}
