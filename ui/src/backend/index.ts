// The only module that talks to Tauri. Screens import from here, never from @tauri-apps/api.
import { invoke } from "@tauri-apps/api/core";
import type { Bootstrap, IpcError } from "../bindings";

export type { Bootstrap, IpcError };

export function bootstrap(): Promise<Bootstrap> {
  return invoke<Bootstrap>("bootstrap");
}

/** Narrows whatever a command rejected with to the typed error the Rust side sends. */
export function asIpcError(e: unknown): IpcError {
  if (typeof e === "object" && e !== null && "code" in e && "messageKey" in e) {
    return e as IpcError;
  }
  return { code: "internal", messageKey: "error.internal" };
}
