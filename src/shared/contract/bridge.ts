// The carrier under window.kyso: the Electron preload and the web host's browser adapter both
// implement it. Only plain functions and structured-cloneable data cross contextBridge, so
// cancellation is a call (cancel(callId)), not an AbortSignal.
import type { Channel, Language } from './requests.js';
import type { BridgeOutcome, BridgeRequestView } from './local-bridge.js';
import type { Result } from './result.js';

export type BridgeEvent =
  | { readonly kind: 'progress'; readonly callId: string; readonly progress: unknown }
  /** Files given on the command line, by "Open with", by a second launch, or dropped on the window. */
  | { readonly kind: 'open-files'; readonly paths: readonly string[] }
  /** The engine process died and was started again; calls in flight got ENGINE_CRASHED. */
  | { readonly kind: 'engine-restarted'; readonly reason: string }
  | { readonly kind: 'language-changed'; readonly language: Language }
  /** A web page asks to sign: the confirmation dialog opens (answer with bridge.answer). */
  | { readonly kind: 'bridge-request'; readonly request: BridgeRequestView }
  /** A request the user was asked about ended (answered here or elsewhere, timed out, signed…). */
  | {
      readonly kind: 'bridge-request-closed';
      readonly requestId: number;
      readonly outcome: BridgeOutcome;
      /** For failed and kept: why, in the app language. */
      readonly message: string | null;
    };

/** What a dropped file is, seen by the bridge: a DOM File in the renderer (name, size). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
}

export interface KysoBridge {
  invoke(callId: string, channel: Channel, request: unknown): Promise<Result<unknown>>;
  cancel(callId: string): void;
  onEvent(listener: (event: BridgeEvent) => void): () => void;
  /** The file system path of a dropped file (Electron's webUtils), or null when there is none. */
  pathForFile(file: FileLike): Promise<string | null>;
}
