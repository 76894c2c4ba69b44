use thiserror::Error;

use super::http::HttpError;
use crate::codes::ErrorCode;

/// Why a sign-in or a refresh did not give us a session. Carries no secret; the provider's own
/// `error_description` is kept only as untrusted, length-capped text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AuthError {
    #[error("sign-in was cancelled")]
    Cancelled,
    #[error("sign-in timed out")]
    TimedOut,
    /// The user cancelled at the provider (`access_denied` on the redirect, RFC 6749
    /// §4.1.2.1): pressed "cancel" or "back", or declined. Trying again is the way on.
    #[error("the sign-in was cancelled at the provider")]
    CancelledAtProvider { description: Option<String> },
    /// The provider itself refused: `access_denied` with an Entra code Latchkey does not tell
    /// apart, or from the token endpoint.
    #[error("the provider denied the sign-in")]
    AccessDenied { description: Option<String> },
    #[error("the organisation has not granted Latchkey the consent it needs")]
    ConsentRequired { aadsts: Option<u32> },
    /// Entra: the account is not a member (or guest) of the configured tenant.
    #[error("the account is not in this organisation's directory")]
    UserNotInTenant { aadsts: u32 },
    /// Entra: a Conditional Access policy blocked the sign-in (device, place, risk).
    #[error("a Conditional Access policy blocked the sign-in")]
    ConditionalAccess { aadsts: u32 },
    /// Entra: MFA is required (AADSTS50076) or must be set up (AADSTS50079) before tokens are
    /// given: an interactive sign-in that completes MFA is the way forward.
    #[error("the sign-in must be confirmed with multi-factor authentication")]
    ConfirmIdentity { aadsts: u32 },
    /// The session must be renewed interactively (`interaction_required`, `login_required`, an
    /// expired password AADSTS50055, sign-in frequency AADSTS70043, AADSTS50173).
    #[error("the provider wants the user to sign in again")]
    InteractionRequired { aadsts: Option<u32> },
    /// Entra's password-change refusals (AADSTS120000: wrong current password; 120002/120003:
    /// the new one is refused), as its sign-in page reports them.
    #[error("the provider refused the password change (AADSTS{aadsts})")]
    PasswordChange { aadsts: u32 },
    #[error("the provider returned error `{code}`")]
    ProviderError { code: String },
    #[error("the sign-in response did not match this sign-in (state)")]
    StateMismatch,
    #[error("the sign-in response came from another issuer")]
    IssuerMismatch,
    #[error("the sign-in response had no authorization code")]
    MissingCode,
    #[error("the sign-in response was malformed")]
    MalformedCallback,
    #[error("the provider refused the authorization grant (expired or already used)")]
    InvalidGrant,
    #[error("the ID token was not valid")]
    InvalidIdToken,
    #[error("the ID token's times do not fit this computer's clock")]
    ClockSkew,
    #[error("the provider's answer was not understood")]
    BadResponse,
    #[error("the provider does not support PKCE with S256")]
    PkceUnsupported,
    #[error("the provider's configuration is inconsistent")]
    Misconfigured,
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("no loopback port is available for the sign-in redirect")]
    PortUnavailable,
    #[error("the system browser could not be opened")]
    BrowserUnavailable,
    #[error("sign-in is not available with this configuration")]
    NotAvailable,
}

impl AuthError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::Cancelled | AuthError::CancelledAtProvider { .. } => {
                ErrorCode::SignInCancelled
            }
            AuthError::TimedOut => ErrorCode::SignInTimedOut,
            AuthError::AccessDenied { .. } => ErrorCode::SignInDenied,
            AuthError::ConsentRequired { .. } => ErrorCode::ConsentRequired,
            AuthError::UserNotInTenant { .. } => ErrorCode::UserNotInTenant,
            AuthError::ConditionalAccess { .. } => ErrorCode::ConditionalAccess,
            AuthError::ConfirmIdentity { .. } => ErrorCode::ConfirmIdentity,
            AuthError::InteractionRequired { .. } => ErrorCode::SignInRequired,
            AuthError::PasswordChange { aadsts: 120000 } => ErrorCode::CurrentPasswordWrong,
            AuthError::PasswordChange { .. } => ErrorCode::PasswordRejected,
            AuthError::ProviderError { .. } => ErrorCode::ProviderError,
            AuthError::StateMismatch
            | AuthError::IssuerMismatch
            | AuthError::MissingCode
            | AuthError::MalformedCallback
            | AuthError::InvalidIdToken => ErrorCode::SignInUnverified,
            AuthError::InvalidGrant => ErrorCode::SignInExpired,
            AuthError::ClockSkew => ErrorCode::ClockSkew,
            AuthError::BadResponse | AuthError::PkceUnsupported | AuthError::Misconfigured => {
                ErrorCode::ProviderMisconfigured
            }
            AuthError::Http(HttpError::Timeout) => ErrorCode::Timeout,
            AuthError::Http(HttpError::Tls) => ErrorCode::TlsFailure,
            AuthError::Http(HttpError::Unreachable) => ErrorCode::ProviderUnreachable,
            AuthError::Http(HttpError::TooLarge | HttpError::Other) => ErrorCode::ProviderError,
            AuthError::PortUnavailable => ErrorCode::PortUnavailable,
            AuthError::BrowserUnavailable => ErrorCode::BrowserUnavailable,
            AuthError::NotAvailable => ErrorCode::SignInUnavailable,
        }
    }

    /// What the user should be told to quote to IT (Microsoft's AADSTS code).
    pub fn details(&self) -> Vec<String> {
        match self {
            AuthError::ConsentRequired { aadsts: Some(code) }
            | AuthError::UserNotInTenant { aadsts: code }
            | AuthError::ConditionalAccess { aadsts: code }
            | AuthError::ConfirmIdentity { aadsts: code }
            | AuthError::InteractionRequired { aadsts: Some(code) } => {
                vec![format!("AADSTS{code}")]
            }
            _ => Vec::new(),
        }
    }

    /// The Microsoft identity platform's own errors, read from the `AADSTS<n>:` that starts
    /// its `error_description`; `None` for others, which the OAuth `error` then decides.
    pub(crate) fn from_aadsts(description: Option<&str>) -> Option<AuthError> {
        AuthError::from_aadsts_code(aadsts_in(description?)?)
    }

    /// The Microsoft identity platform's codes Latchkey tells apart
    /// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes); `None` for
    /// the others, which the OAuth `error` then decides.
    pub fn from_aadsts_code(code: u32) -> Option<AuthError> {
        match code {
            // Consent missing, declined, or needing an administrator (90095: admin consent
            // required, with the request-access workflow).
            65001 | 65004 | 90094 | 90095 | 90008 => {
                Some(AuthError::ConsentRequired { aadsts: Some(code) })
            }
            // The account does not exist in, or is not invited to, the tenant.
            50020 | 50034 | 50177 | 90072 => Some(AuthError::UserNotInTenant { aadsts: code }),
            // Conditional Access: blocked, device not compliant or not joined, app not approved;
            // blocked on security-info registration (530032) or by security defaults (530035).
            53000..=53011 | 530032 | 530035 => Some(AuthError::ConditionalAccess { aadsts: code }),
            // MFA required, or MFA registration required.
            50076 | 50079 => Some(AuthError::ConfirmIdentity { aadsts: code }),
            // Expired password, fresh token needed, sign-in frequency: sign in again.
            50055 | 50173 | 70043 => Some(AuthError::InteractionRequired { aadsts: Some(code) }),
            // Grants that are dead: expired or revoked, already redeemed, PKCE mismatch.
            70000 | 70008 | 54005 | 501481 => Some(AuthError::InvalidGrant),
            // The request or the app registration is wrong: nothing the user can change.
            70011 | 9002313 | 900144 | 700016 | 50011 | 90002 | 70003 => {
                Some(AuthError::Misconfigured)
            }
            120000 | 120002 | 120003 => Some(AuthError::PasswordChange { aadsts: code }),
            _ => None,
        }
    }

    /// Maps an OAuth error response (`error`, `error_description`) from the redirect. Public for
    /// fuzzing (`fuzz/`) and tests.
    pub fn from_oauth(error: &str, description: Option<&str>) -> AuthError {
        if let Some(entra) = AuthError::from_aadsts(description) {
            return entra;
        }
        let entra_code = description.and_then(aadsts_in);
        let description = description.map(untrusted_text);
        match error {
            "consent_required" => AuthError::ConsentRequired { aadsts: None },
            // On the redirect, a bare `access_denied` is the user's "cancel" or "back" at the
            // provider; Entra's own refusals name an AADSTS code.
            "access_denied" if entra_code.is_none() => {
                AuthError::CancelledAtProvider { description }
            }
            "access_denied" => AuthError::AccessDenied { description },
            "interaction_required" | "login_required" => {
                AuthError::InteractionRequired { aadsts: None }
            }
            other => AuthError::ProviderError {
                code: untrusted_text(other),
            },
        }
    }

    /// A token endpoint's refusal (RFC 6749 §5.2): Entra's `error_codes` first, then the
    /// `AADSTS<n>:` its `error_description` starts with, then the OAuth `error`.
    pub fn from_token_error(
        error: &str,
        description: Option<&str>,
        error_codes: &[u32],
    ) -> AuthError {
        let entra = error_codes
            .first()
            .copied()
            .or_else(|| description.and_then(aadsts_in))
            .and_then(AuthError::from_aadsts_code);
        if let Some(entra) = entra {
            return entra;
        }
        match error {
            "invalid_grant" => AuthError::InvalidGrant,
            // No user at the token endpoint to cancel: the server refused.
            "access_denied" => AuthError::AccessDenied {
                description: description.map(untrusted_text),
            },
            "invalid_client"
            | "unauthorized_client"
            | "invalid_request"
            | "invalid_scope"
            | "unsupported_grant_type" => AuthError::Misconfigured,
            other => AuthError::from_oauth(other, description),
        }
    }

    /// [`AuthError::from_token_error`] on a token endpoint's JSON error body as sent.
    pub fn from_token_error_body(body: &[u8]) -> AuthError {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
            return AuthError::BadResponse;
        };
        let codes: Vec<u32> = json["error_codes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_u64().and_then(|c| u32::try_from(c).ok()))
                    .collect()
            })
            .unwrap_or_default();
        match json["error"].as_str() {
            Some(error) => {
                AuthError::from_token_error(error, json["error_description"].as_str(), &codes)
            }
            None => AuthError::BadResponse,
        }
    }
}

/// The number of the `AADSTS<n>` that starts a description.
fn aadsts_in(description: &str) -> Option<u32> {
    description
        .trim_start()
        .strip_prefix("AADSTS")?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Text from the provider is shown as text only; cap it and drop control characters.
pub(crate) fn untrusted_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_errors_map_to_what_the_user_can_do() {
        assert_eq!(
            AuthError::from_oauth("access_denied", None),
            AuthError::CancelledAtProvider { description: None }
        );
        assert_eq!(
            AuthError::from_oauth("consent_required", None),
            AuthError::ConsentRequired { aadsts: None }
        );
        assert_eq!(
            AuthError::from_oauth(
                "invalid_grant",
                Some("AADSTS65001: The user or administrator has not consented")
            ),
            AuthError::ConsentRequired {
                aadsts: Some(65001)
            }
        );
        let blocked = AuthError::from_oauth(
            "invalid_grant",
            Some("AADSTS53003: Access has been blocked by Conditional Access policies.\r\nTrace ID: x"),
        );
        assert_eq!(blocked, AuthError::ConditionalAccess { aadsts: 53003 });
        assert_eq!(blocked.details(), vec!["AADSTS53003".to_owned()]);
        assert_eq!(
            AuthError::from_oauth(
                "access_denied",
                Some("AADSTS50020: User account from identity provider does not exist in tenant")
            ),
            AuthError::UserNotInTenant { aadsts: 50020 }
        );
        // Unknown AADSTS codes and look-alikes fall back to the OAuth error.
        assert_eq!(
            AuthError::from_oauth("invalid_grant", Some("AADSTS99998: unknown")),
            AuthError::ProviderError {
                code: "invalid_grant".into()
            }
        );
        assert_eq!(
            AuthError::from_oauth("access_denied", Some("see AADSTS53003")),
            AuthError::CancelledAtProvider {
                description: Some("see AADSTS53003".into())
            }
        );
        let AuthError::CancelledAtProvider {
            description: Some(d),
        } = AuthError::from_oauth(
            "access_denied",
            Some(&format!("a\u{7}b{}", "x".repeat(1000))),
        )
        else {
            panic!("expected CancelledAtProvider");
        };
        assert!(d.starts_with("ab") && d.chars().count() == 300);
    }

    /// Every mapped AADSTS code and the edges of the Conditional Access range.
    #[test]
    fn every_mapped_aadsts_code_and_the_range_edges() {
        let mapped = |code: u32| AuthError::from_aadsts(Some(&format!("AADSTS{code}: text")));
        for code in [65001, 65004, 90094, 90008] {
            assert_eq!(
                mapped(code),
                Some(AuthError::ConsentRequired { aadsts: Some(code) }),
                "{code}"
            );
        }
        for code in [50020, 50034, 50177, 90072] {
            assert_eq!(
                mapped(code),
                Some(AuthError::UserNotInTenant { aadsts: code }),
                "{code}"
            );
        }
        for code in [53000, 53001, 53011] {
            assert_eq!(
                mapped(code),
                Some(AuthError::ConditionalAccess { aadsts: code }),
                "{code}"
            );
        }
        for code in [530032, 530035] {
            assert_eq!(
                mapped(code),
                Some(AuthError::ConditionalAccess { aadsts: code }),
                "{code} was outside 53000..=53011"
            );
        }
        assert_eq!(
            mapped(90095),
            Some(AuthError::ConsentRequired {
                aadsts: Some(90095)
            })
        );
        for code in [52999, 53012, 65000, 65005, 530031] {
            assert_eq!(mapped(code), None, "{code} is not mapped");
        }
        assert_eq!(AuthError::from_aadsts(Some("  AADSTS53000")), mapped(53000));
        assert_eq!(AuthError::from_aadsts(Some("AADSTS")), None);
        assert_eq!(AuthError::from_aadsts(Some("AADSTS99999999999999")), None);
        assert_eq!(AuthError::from_aadsts(None), None);
    }

    /// The user's "cancel" at the provider reads as a cancel to try again, not as a refusal
    /// for the helpdesk; Entra's coded refusals and a token endpoint's `access_denied` stay
    /// refusals.
    #[test]
    fn a_cancel_at_the_provider_is_not_a_refusal() {
        use crate::codes::NextStep;
        let cancelled = AuthError::from_oauth("access_denied", Some("The user declined"));
        assert_eq!(cancelled.code(), ErrorCode::SignInCancelled);
        assert_eq!(cancelled.code().next_step(), NextStep::Retry);
        let coded = AuthError::from_oauth("access_denied", Some("AADSTS50105: not assigned"));
        assert_eq!(
            coded,
            AuthError::AccessDenied {
                description: Some("AADSTS50105: not assigned".into())
            }
        );
        assert_eq!(coded.code(), ErrorCode::SignInDenied);
        assert_eq!(
            AuthError::from_oauth("access_denied", Some("AADSTS53003: blocked")).code(),
            ErrorCode::ConditionalAccess
        );
        assert_eq!(
            AuthError::from_token_error("access_denied", None, &[]).code(),
            ErrorCode::SignInDenied
        );
    }

    /// A refresh refused because MFA is now required used to be a generic provider error.
    #[test]
    fn mfa_required_on_refresh_asks_to_confirm_identity() {
        let body = br#"{"error":"interaction_required","error_description":"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'x'.","error_codes":[50076]}"#;
        let error = AuthError::from_token_error_body(body);
        assert_eq!(error, AuthError::ConfirmIdentity { aadsts: 50076 });
        assert_eq!(error.code(), ErrorCode::ConfirmIdentity);
        assert_eq!(
            AuthError::from_token_error("interaction_required", None, &[]).code(),
            ErrorCode::SignInRequired
        );
        assert_eq!(
            AuthError::from_token_error("invalid_grant", Some("AADSTS50079: enrol"), &[]),
            AuthError::ConfirmIdentity { aadsts: 50079 }
        );
    }
}
