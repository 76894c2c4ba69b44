// Generated from the Rust types in src-tauri/core by `UPDATE_BINDINGS=1 cargo test -p latchkey-core bindings`.
// Do not edit by hand: a test fails when this file is stale.

export type Bootstrap = { version: string, language: Language, configPath: string, organisation: Branding | null, helpdesk: HelpdeskContact | null, 
/**
 * Methods the organisation accepts for reset, in its order.
 */
methodsAllowed: Array<Method>, methodsRequired: number, 
/**
 * The username "Forgot password" starts with, when the configuration can tell.
 */
usernameHint: string | null, 
/**
 * Where the window opens (`--forgot-password`, `--onboarding`, a `latchkey://` link).
 */
entry: Entry, 
/**
 * The provider's reset page and its QR code, for the offline screen.
 */
resetPage: ResetPage | null, 
/**
 * Whether onboarding may be postponed ("Remind me later") or not.
 */
registrationRequired: boolean, 
/**
 * Entra: "Forgot password" hands over to Microsoft's SSPR portal instead of resetting here.
 */
resetInPortal: boolean, 
/**
 * Entra: changing the password and its expiry reminder work in the app (Graph).
 */
passwordChange: boolean, 
/**
 * What the configured provider offers; `None` when the configuration could not be used.
 */
capabilities: Capabilities | null, configProblem: ConfigProblem | null, 
/**
 * Set when the app runs against the built-in sandbox tenant.
 */
demo: DemoTenant | null, };
export type Branding = { name: string, accentColor: string | null, };
export type Capabilities = { 
/**
 * Adding a phone or an e-mail: in the app (confirmed by code) or on the provider's page.
 */
addMethods: Where, 
/**
 * "Forgot password": in the app, or a hand-off to the provider's portal.
 */
reset: Where, changePassword: boolean, 
/**
 * Whether the provider can tell when the password expires.
 */
expiry: boolean, unlock: boolean, 
/**
 * The method types the provider lists for the user.
 */
lists: Array<MethodKind>, };
export type Where = "in_app" | "handoff" | "unavailable";
export type HelpdeskContact = { phone: string | null, email: string | null, hours: string | null, url: string | null, };
export type ConfigProblem = { code: ErrorCode, messageKey: string, path: string, key: string | null, line: number | null, 
/**
 * The parser's own words (English, technical): shown as a detail for IT.
 */
detail: string, };
export type DemoTenant = { outboxUrl: string, users: Array<DemoUser>, };
export type DemoUser = { username: string, displayName: string, 
/**
 * Whether the user has recovery methods registered already.
 */
registered: boolean, };
export type ResetFactor = "sms" | "call" | "email";
export type ResetView = { "step": "code", factor: ResetFactor, resendAfterSeconds: number, } | { "step": "question", question: string, } | { "step": "new_password", hints: PasswordHints, } | { "step": "done" };
export type PasswordHints = { minLength: number, needsLower: boolean, needsUpper: boolean, needsNumber: boolean, needsSymbol: boolean, 
/**
 * Lower-case parts of the username the password may not contain.
 */
usernameParts: Array<string>, 
/**
 * How many earlier passwords may not be reused (0: none).
 */
history: number, 
/**
 * The longest password accepted, in code points (0: no limit told).
 */
maxLength: number, 
/**
 * How many of the four classes (lower, upper, digit, symbol) are needed (0: see `needs_*`).
 */
minClasses: number, 
/**
 * Only printable ASCII is accepted (Entra): accents and emoji are refused.
 */
asciiOnly: boolean, };
export type Delivery = "sms" | "call";
export type MethodKind = "phone" | "email";
export type RegisteredMethod = { 
/**
 * The provider's id of the method, to remove it; not personal data.
 */
id: string, kind: MethodKind, masked: string, };
export type PendingMethod = { kind: MethodKind, masked: string, delivery: Delivery | null, resendAfterSeconds: number, };
export type RegistrationView = { 
/**
 * How many different methods the policy requires.
 */
required: number, complete: boolean, 
/**
 * The policy's reconfirmation period has passed: ask "Is this still correct?".
 */
reconfirmDue: boolean, methods: Array<RegisteredMethod>, pending: PendingMethod | null, 
/**
 * Entra: methods are added on Microsoft's security info page, at this address, because
 * Graph does not let users add them for themselves.
 */
handoff: string | null, };
export type PasswordExpiry = { state: ExpiryState, 
/**
 * `YYYY-MM-DD`, when `state` is `expires`.
 */
expiresOn: string | null, 
/**
 * Whole days left (0 on the day, negative once expired).
 */
daysLeft: number | null, 
/**
 * Inside the reminder window: say so and offer to change it now.
 */
remind: boolean, };
export type PortalHandoff = { url: string, browserOpened: boolean, };
export type ExpiryState = "expires" | "never" | "unknown";
export type ResetPage = { url: string, 
/**
 * SVG markup made by the core from `url`; nothing from outside goes into it.
 */
qrSvg: string, };
export type Entry = "home" | "reset" | "onboarding" | "change";
export type Reachability = "online" | "no_dns" | "no_route" | "no_answer";
export type SignedIn = { displayName: string, 
/**
 * The OS credential store could not keep the sign-in: tell the user once.
 */
sessionOnly: boolean, };
export type SignInStatus = { authorizeUrl: string | null, browserOpened: boolean, };
export type IpcError = { code: ErrorCode, messageKey: string, 
/**
 * For `rate_limited`: how long to wait before trying again.
 */
retryAfterSeconds: bigint | null, 
/**
 * Plain-text details shown as they are: a permission to grant, a request id, a sign-in
 * error code.
 */
details: Array<string>, 
/**
 * For `password_rejected`: each reason the provider gave, in the user's language
 * (`reason.*` keys) with the provider's own text as its detail. Absent when there are none.
 */
reasons?: Array<ProviderReason>, 
/**
 * The support reference of the journey under way (`LK-7F3K-Q2`), for the helpdesk: the
 * log lines of that journey carry it. Absent before any journey started.
 */
reference?: string, };
export type ProviderReason = { reason: Reason, messageKey: string, 
/**
 * The number the requirement names (a length, a history depth), when it names one; the
 * message's `{{n}}`.
 */
count: number | null, 
/**
 * The provider's own words, untrusted plain text, shown after ours.
 */
detail: string, };
export type Reason = "min_length" | "lowercase" | "uppercase" | "number" | "symbol" | "no_username" | "history" | "min_age" | "common" | "other";
export type ErrorCode = "config_missing" | "config_unreadable" | "config_invalid" | "sign_in_cancelled" | "sign_in_timed_out" | "sign_in_denied" | "consent_required" | "user_not_in_tenant" | "conditional_access" | "provider_error" | "sign_in_unverified" | "sign_in_expired" | "clock_skew" | "provider_misconfigured" | "timeout" | "tls_failure" | "provider_unreachable" | "password_outcome_unknown" | "method_outcome_unknown" | "code_outcome_unknown" | "step_outcome_unknown" | "port_unavailable" | "browser_unavailable" | "keyring_unavailable" | "sign_in_unavailable" | "code_wrong" | "code_expired" | "code_spent" | "answer_wrong" | "current_password_wrong" | "rate_limited" | "password_rejected" | "session_expired" | "phone_refused" | "email_refused" | "method_already_registered" | "method_limit_reached" | "method_gone" | "code_not_sent" | "not_allowed" | "sign_in_required" | "fresh_sign_in_required" | "permission_missing" | "confirm_identity" | "method_in_use" | "password_change_failed" | "provider_refused" | "internal";
export type NextStep = "retry" | "wait" | "correct_input" | "start_over" | "sign_in_again" | "helpdesk" | "try_sign_in" | "check_list";
export type Language = "en" | "fr";
export type Method = "mobile_app" | "email" | "mobile_phone" | "office_phone" | "security_questions";
export const ERRORS: Record<ErrorCode, { messageKey: string, next: NextStep }> = {
  "config_missing": { messageKey: "error.config_missing", next: "helpdesk" },
  "config_unreadable": { messageKey: "error.config_unreadable", next: "helpdesk" },
  "config_invalid": { messageKey: "error.config_invalid", next: "helpdesk" },
  "sign_in_cancelled": { messageKey: "error.sign_in_cancelled", next: "retry" },
  "sign_in_timed_out": { messageKey: "error.sign_in_timed_out", next: "retry" },
  "sign_in_denied": { messageKey: "error.sign_in_denied", next: "helpdesk" },
  "consent_required": { messageKey: "error.consent_required", next: "helpdesk" },
  "user_not_in_tenant": { messageKey: "error.user_not_in_tenant", next: "sign_in_again" },
  "conditional_access": { messageKey: "error.conditional_access", next: "helpdesk" },
  "provider_error": { messageKey: "error.provider_error", next: "retry" },
  "sign_in_unverified": { messageKey: "error.sign_in_unverified", next: "retry" },
  "sign_in_expired": { messageKey: "error.sign_in_expired", next: "sign_in_again" },
  "clock_skew": { messageKey: "error.clock_skew", next: "helpdesk" },
  "provider_misconfigured": { messageKey: "error.provider_misconfigured", next: "helpdesk" },
  "timeout": { messageKey: "error.timeout", next: "retry" },
  "tls_failure": { messageKey: "error.tls_failure", next: "helpdesk" },
  "provider_unreachable": { messageKey: "error.provider_unreachable", next: "retry" },
  "password_outcome_unknown": { messageKey: "error.password_outcome_unknown", next: "try_sign_in" },
  "method_outcome_unknown": { messageKey: "error.method_outcome_unknown", next: "check_list" },
  "code_outcome_unknown": { messageKey: "error.code_outcome_unknown", next: "wait" },
  "step_outcome_unknown": { messageKey: "error.step_outcome_unknown", next: "start_over" },
  "port_unavailable": { messageKey: "error.port_unavailable", next: "retry" },
  "browser_unavailable": { messageKey: "error.browser_unavailable", next: "helpdesk" },
  "keyring_unavailable": { messageKey: "error.keyring_unavailable", next: "helpdesk" },
  "sign_in_unavailable": { messageKey: "error.sign_in_unavailable", next: "helpdesk" },
  "code_wrong": { messageKey: "error.code_wrong", next: "correct_input" },
  "code_expired": { messageKey: "error.code_expired", next: "start_over" },
  "code_spent": { messageKey: "error.code_spent", next: "start_over" },
  "answer_wrong": { messageKey: "error.answer_wrong", next: "correct_input" },
  "current_password_wrong": { messageKey: "error.current_password_wrong", next: "correct_input" },
  "rate_limited": { messageKey: "error.rate_limited", next: "wait" },
  "password_rejected": { messageKey: "error.password_rejected", next: "correct_input" },
  "session_expired": { messageKey: "error.session_expired", next: "start_over" },
  "phone_refused": { messageKey: "error.phone_refused", next: "correct_input" },
  "email_refused": { messageKey: "error.email_refused", next: "correct_input" },
  "method_already_registered": { messageKey: "error.method_already_registered", next: "correct_input" },
  "method_limit_reached": { messageKey: "error.method_limit_reached", next: "correct_input" },
  "method_gone": { messageKey: "error.method_gone", next: "start_over" },
  "code_not_sent": { messageKey: "error.code_not_sent", next: "retry" },
  "not_allowed": { messageKey: "error.not_allowed", next: "helpdesk" },
  "sign_in_required": { messageKey: "error.sign_in_required", next: "sign_in_again" },
  "fresh_sign_in_required": { messageKey: "error.fresh_sign_in_required", next: "sign_in_again" },
  "permission_missing": { messageKey: "error.permission_missing", next: "helpdesk" },
  "confirm_identity": { messageKey: "error.confirm_identity", next: "sign_in_again" },
  "method_in_use": { messageKey: "error.method_in_use", next: "helpdesk" },
  "password_change_failed": { messageKey: "error.password_change_failed", next: "correct_input" },
  "provider_refused": { messageKey: "error.provider_refused", next: "helpdesk" },
  "internal": { messageKey: "error.internal", next: "helpdesk" },
};
