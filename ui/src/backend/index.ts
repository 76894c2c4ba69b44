// The only module that talks to Tauri. Screens import from here, never from @tauri-apps/api.
import { invoke } from "@tauri-apps/api/core";
import type {
  Bootstrap,
  Delivery,
  IpcError,
  PasswordExpiry,
  PasswordHints,
  PortalHandoff,
  Reachability,
  RegistrationView,
  ResetFactor,
  ResetView,
  SignInStatus,
  SignedIn,
} from "../bindings";

export type { Bootstrap, IpcError, ResetFactor, ResetView, SignInStatus, SignedIn };

export function bootstrap(): Promise<Bootstrap> {
  return invoke<Bootstrap>("bootstrap");
}

/** Resolves when the browser sign-in finished; rejects with an IpcError otherwise. */
/** `confirm`: the user must prove presence again (no kept sign-in, the provider asks again). */
export function signIn(confirm = false): Promise<SignedIn> {
  return invoke<SignedIn>("sign_in", { confirm });
}

export function signInStatus(): Promise<SignInStatus> {
  return invoke<SignInStatus>("sign_in_status");
}

export function signInReopen(): Promise<void> {
  return invoke<void>("sign_in_reopen");
}

export function signInCancel(): Promise<void> {
  return invoke<void>("sign_in_cancel");
}

export function signOut(): Promise<void> {
  return invoke<void>("sign_out");
}

/** Demo mode only: opens the sandbox tenant's outbox in the system browser. */
export function openOutbox(): Promise<void> {
  return invoke<void>("open_outbox");
}

// Forgot password: each call moves the reset one step and says what to show next.
export function resetStart(username: string, factor: ResetFactor): Promise<ResetView> {
  return invoke<ResetView>("reset_start", { username, factor });
}

export function resetCode(code: string): Promise<ResetView> {
  return invoke<ResetView>("reset_code", { code });
}

export function resetResend(switchTo: ResetFactor | null): Promise<ResetView> {
  return invoke<ResetView>("reset_resend", { switchTo });
}

export function resetAnswer(answer: string): Promise<ResetView> {
  return invoke<ResetView>("reset_answer", { answer });
}

export function resetPassword(password: string): Promise<ResetView> {
  return invoke<ResetView>("reset_password", { password });
}

/** Whether the provider answers, decided within about a second. */
export function connectivity(): Promise<Reachability> {
  return invoke<Reachability>("connectivity");
}

export function resetCancel(): Promise<void> {
  return invoke<void>("reset_cancel");
}

// Onboarding: the signed-in user's recovery methods, masked.
export function registrationStatus(): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_status");
}

export function registrationAddPhone(region: string, number: string, delivery: Delivery): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_add_phone", { region, number, delivery });
}

export function registrationAddEmail(address: string): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_add_email", { address });
}

export function registrationConfirm(code: string): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_confirm", { code });
}

export function registrationResend(switchTo: Delivery | null): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_resend", { switchTo });
}

export function registrationCancel(): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_cancel");
}

/** "Yes, this is still correct." */
export function registrationReconfirm(): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_reconfirm");
}

/** Removes one of the user's confirmed methods. */
export function registrationRemove(id: string): Promise<RegistrationView> {
  return invoke<RegistrationView>("registration_remove", { id });
}

/** Entra: opens Microsoft's security info page; resolves with its address. */
export function registrationOpenHandoff(): Promise<string> {
  return invoke<string>("registration_open_handoff");
}

/** Entra: opens the SSPR portal for `username` once it answers. */
export function resetPortalOpen(username: string): Promise<PortalHandoff> {
  return invoke<PortalHandoff>("reset_portal_open", { username });
}

// The signed-in user's password.
export function passwordExpiry(): Promise<PasswordExpiry> {
  return invoke<PasswordExpiry>("password_expiry");
}

export function passwordRules(): Promise<PasswordHints> {
  return invoke<PasswordHints>("password_rules");
}

export function changePassword(current: string, next: string): Promise<void> {
  return invoke<void>("change_password", { current, new: next });
}

/** Narrows whatever a command rejected with to the typed error the Rust side sends. */
export function asIpcError(e: unknown): IpcError {
  if (typeof e === "object" && e !== null && "code" in e && "messageKey" in e) {
    return e as IpcError;
  }
  return { code: "internal", messageKey: "error.internal", retryAfterSeconds: null, details: [] };
}
