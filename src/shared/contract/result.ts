// The envelope every request returns, over IPC and over the web host's WebSocket alike: never a thrown
// error across the boundary, never a stack trace; `message` is already in the app's language.
import type { ErrorCode } from '../errors.js';

export interface ContractError {
  readonly code: ErrorCode;
  /** Translated on the service side from src/shared/messages.ts (the app's language). */
  readonly message: string;
  /** Plain facts for the UI (a path, the token's PIN state); never a secret, never a stack. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

export function okResult<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function errorResult<T = never>(error: ContractError): Result<T> {
  return { ok: false, error };
}
