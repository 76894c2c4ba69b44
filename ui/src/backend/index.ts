// The only module that talks to Tauri. Screens import from here, never from @tauri-apps/api.
import { invoke } from "@tauri-apps/api/core";
import type { Bootstrap, IpcError, SignInStatus, SignedIn } from "../bindings";

export type { Bootstrap, IpcError, SignInStatus, SignedIn };

export function bootstrap(): Promise<Bootstrap> {
  return invoke<Bootstrap>("bootstrap");
}

/** Resolves when the browser sign-in finished; rejects with an IpcError otherwise. */
export function signIn(): Promise<SignedIn> {
  return invoke<SignedIn>("sign_in");
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

/** Narrows whatever a command rejected with to the typed error the Rust side sends. */
export function asIpcError(e: unknown): IpcError {
  if (typeof e === "object" && e !== null && "code" in e && "messageKey" in e) {
    return e as IpcError;
  }
  return { code: "internal", messageKey: "error.internal", retryAfterSeconds: null, details: [] };
}
