//! The closed set of error codes the UI understands, each with its message key and the one
//! next step the user can take. A leaf module: everything that names a code imports only this.
//!
//! The table below is the only place a code meets its text and its way forward; it is
//! generated into `ui/src/bindings.ts` (`ERRORS`) so the UI never keeps a second copy.

use serde::Serialize;
use ts_rs::TS;

/// What the user can do about an error; the UI shows the matching action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Try the same thing again (a passing network or provider problem).
    Retry,
    /// Wait the number of seconds the provider gave, then try again.
    Wait,
    /// Correct what was typed (a code, an answer, a number, a password).
    CorrectInput,
    /// Start the step again: a new code, or a new reset.
    StartOver,
    /// Sign in again in the browser.
    SignInAgain,
    /// Only IT can fix it: the helpdesk's contact is shown.
    Helpdesk,
    /// Find out whether a password change went through: sign in with the new password.
    TrySignIn,
    /// Find out whether a change to the methods went through: read the list again.
    CheckList,
}

/// Declares every code once, with its message key and next step.
macro_rules! error_codes {
    ($($code:ident => $key:literal, $next:ident;)+) => {
        /// A stable code the UI maps to a message and a way forward. Never renamed once shipped.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($code,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$code,)+];

            /// The key of the localised message in `ui/src/i18n/*.json`.
            pub fn message_key(self) -> &'static str {
                match self {
                    $(ErrorCode::$code => $key,)+
                }
            }

            /// The way forward the UI offers with the message.
            pub fn next_step(self) -> NextStep {
                match self {
                    $(ErrorCode::$code => NextStep::$next,)+
                }
            }
        }
    };
}

error_codes! {
    ConfigMissing => "error.config_missing", Helpdesk;
    ConfigUnreadable => "error.config_unreadable", Helpdesk;
    ConfigInvalid => "error.config_invalid", Helpdesk;
    SignInCancelled => "error.sign_in_cancelled", Retry;
    SignInTimedOut => "error.sign_in_timed_out", Retry;
    SignInDenied => "error.sign_in_denied", Helpdesk;
    ConsentRequired => "error.consent_required", Helpdesk;
    UserNotInTenant => "error.user_not_in_tenant", SignInAgain;
    ConditionalAccess => "error.conditional_access", Helpdesk;
    ProviderError => "error.provider_error", Retry;
    SignInUnverified => "error.sign_in_unverified", Retry;
    SignInExpired => "error.sign_in_expired", SignInAgain;
    ClockSkew => "error.clock_skew", Helpdesk;
    ProviderMisconfigured => "error.provider_misconfigured", Helpdesk;
    Timeout => "error.timeout", Retry;
    TlsFailure => "error.tls_failure", Helpdesk;
    ProviderUnreachable => "error.provider_unreachable", Retry;
    PasswordOutcomeUnknown => "error.password_outcome_unknown", TrySignIn;
    MethodOutcomeUnknown => "error.method_outcome_unknown", CheckList;
    CodeOutcomeUnknown => "error.code_outcome_unknown", Wait;
    StepOutcomeUnknown => "error.step_outcome_unknown", StartOver;
    PortUnavailable => "error.port_unavailable", Retry;
    BrowserUnavailable => "error.browser_unavailable", Helpdesk;
    KeyringUnavailable => "error.keyring_unavailable", Helpdesk;
    SignInUnavailable => "error.sign_in_unavailable", Helpdesk;
    CodeWrong => "error.code_wrong", CorrectInput;
    CodeExpired => "error.code_expired", StartOver;
    CodeSpent => "error.code_spent", StartOver;
    AnswerWrong => "error.answer_wrong", CorrectInput;
    CurrentPasswordWrong => "error.current_password_wrong", CorrectInput;
    RateLimited => "error.rate_limited", Wait;
    PasswordRejected => "error.password_rejected", CorrectInput;
    SessionExpired => "error.session_expired", StartOver;
    PhoneRefused => "error.phone_refused", CorrectInput;
    EmailRefused => "error.email_refused", CorrectInput;
    MethodAlreadyRegistered => "error.method_already_registered", CorrectInput;
    MethodLimitReached => "error.method_limit_reached", CorrectInput;
    MethodGone => "error.method_gone", StartOver;
    CodeNotSent => "error.code_not_sent", Retry;
    NotAllowed => "error.not_allowed", Helpdesk;
    SignInRequired => "error.sign_in_required", SignInAgain;
    FreshSignInRequired => "error.fresh_sign_in_required", SignInAgain;
    PermissionMissing => "error.permission_missing", Helpdesk;
    ConfirmIdentity => "error.confirm_identity", SignInAgain;
    MethodInUse => "error.method_in_use", Helpdesk;
    PasswordChangeFailed => "error.password_change_failed", CorrectInput;
    ProviderRefused => "error.provider_refused", Helpdesk;
    Internal => "error.internal", Helpdesk;
}

impl NextStep {
    /// Every next step, for the catalogue check.
    pub const ALL: &'static [NextStep] = &[
        NextStep::Retry,
        NextStep::Wait,
        NextStep::CorrectInput,
        NextStep::StartOver,
        NextStep::SignInAgain,
        NextStep::Helpdesk,
        NextStep::TrySignIn,
        NextStep::CheckList,
    ];

    /// The key of the action's text in `ui/src/i18n/*.json`.
    pub fn message_key(self) -> &'static str {
        match self {
            NextStep::Retry => "next.retry",
            NextStep::Wait => "next.wait",
            NextStep::CorrectInput => "next.correct_input",
            NextStep::StartOver => "next.start_over",
            NextStep::SignInAgain => "next.sign_in_again",
            NextStep::Helpdesk => "next.helpdesk",
            NextStep::TrySignIn => "next.try_sign_in",
            NextStep::CheckList => "next.check_list",
        }
    }
}

/// The table as TypeScript: `ERRORS[code]` gives the message key and the next step.
pub fn typescript_table() -> String {
    let mut out = String::from(
        "export const ERRORS: Record<ErrorCode, { messageKey: string, next: NextStep }> = {\n",
    );
    for code in ErrorCode::ALL {
        let name = serde_json::to_value(code).unwrap_or_default();
        let next = serde_json::to_value(code.next_step()).unwrap_or_default();
        out.push_str(&format!(
            "  {name}: {{ messageKey: \"{}\", next: {next} }},\n",
            code.message_key()
        ));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn every_code_has_a_distinct_message_key() {
        let mut keys: Vec<_> = ErrorCode::ALL.iter().map(|c| c.message_key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ErrorCode::ALL.len());
        assert!(keys.iter().all(|k| k.starts_with("error.")));
    }

    /// The UI's catalogues must have an English and a French text for every code and every
    /// next step: a code without one would reach the user as a bare key.
    #[test]
    fn every_code_and_next_step_has_an_english_and_a_french_text() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/i18n");
        for language in ["en", "fr"] {
            let path = dir.join(format!("{language}.json"));
            let raw = std::fs::read_to_string(&path).expect("catalogue");
            let catalogue: serde_json::Value = serde_json::from_str(&raw).expect("json");
            let text = |key: &str| {
                key.split('.')
                    .try_fold(&catalogue, |v, part| v.get(part))
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            let keys = ErrorCode::ALL
                .iter()
                .map(|c| c.message_key())
                .chain(NextStep::ALL.iter().map(|n| n.message_key()));
            for key in keys {
                let found = text(key);
                assert!(
                    found.as_deref().is_some_and(|t| !t.trim().is_empty()),
                    "{language}.json has no text for {key}"
                );
            }
        }
    }

    #[test]
    fn the_typescript_table_names_every_code_once() {
        let table = typescript_table();
        for code in ErrorCode::ALL {
            let name = serde_json::to_value(code).expect("json");
            let line = format!("  {name}: {{ messageKey: \"{}\"", code.message_key());
            assert_eq!(table.matches(&line).count(), 1, "{line}");
        }
        assert!(
            table.contains("rate_limited\": { messageKey: \"error.rate_limited\", next: \"wait\"")
        );
    }
}
