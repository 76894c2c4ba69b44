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
passwordChange: boolean, configProblem: ConfigProblem | null, 
/**
 * Set when the app runs against the built-in sandbox tenant.
 */
demo: DemoTenant | null, };
export type Branding = { name: string, accentColor: string | null, };
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
 * For `password_rejected`: the provider's reasons, as plain text.
 */
details: Array<string>, };
export type ErrorCode = "config_missing" | "config_unreadable" | "config_invalid" | "sign_in_cancelled" | "sign_in_timed_out" | "sign_in_denied" | "consent_required" | "user_not_in_tenant" | "conditional_access" | "provider_error" | "sign_in_unverified" | "sign_in_expired" | "clock_skew" | "provider_misconfigured" | "timeout" | "tls_failure" | "provider_unreachable" | "port_unavailable" | "browser_unavailable" | "keyring_unavailable" | "sign_in_unavailable" | "code_wrong" | "code_expired" | "code_spent" | "answer_wrong" | "current_password_wrong" | "rate_limited" | "password_rejected" | "session_expired" | "phone_refused" | "email_refused" | "not_allowed" | "sign_in_required" | "permission_missing" | "internal";
export type Language = "en" | "fr";
export type Method = "mobile_app" | "email" | "mobile_phone" | "office_phone" | "security_questions";
