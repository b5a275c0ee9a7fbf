// What the renderer uses: typed calls over any KysoBridge, with AbortSignal and progress callbacks.
import type { BridgeEvent, KysoBridge } from './bridge.js';
import type { Channel, Language, ProgressOf, RequestOf, ResultOf } from './requests.js';
import type { Result } from './result.js';

export interface CallOptions<C extends Channel> {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProgressOf<C>) => void;
}

export interface KysoClient {
  call<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
    options?: CallOptions<C>,
  ): Promise<Result<ResultOf<C>>>;
  onOpenFiles(listener: (paths: readonly string[]) => void): () => void;
  onEngineRestarted(listener: (reason: string) => void): () => void;
  onLanguageChanged(listener: (language: Language) => void): () => void;
  /** The local bridge's questions to the user, and their ends. */
  onBridgeEvent(
    listener: (event: Extract<BridgeEvent, { kind: 'bridge-request' | 'bridge-request-closed' }>) => void,
  ): () => void;
  pathForFile(file: { readonly name: string; readonly size: number }): Promise<string | null>;
}

let counter = 0;

/** Unique within the page; the main side keys calls by (sender, callId). */
function nextCallId(): string {
  counter += 1;
  return `c${counter.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createKysoClient(bridge: KysoBridge): KysoClient {
  const listeners = new Set<(event: BridgeEvent) => void>();
  let unsubscribe: (() => void) | null = null;
  const subscribe = (listener: (event: BridgeEvent) => void): (() => void) => {
    listeners.add(listener);
    unsubscribe ??= bridge.onEvent((event) => {
      for (const l of [...listeners]) l(event);
    });
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && unsubscribe) {
        unsubscribe();
        unsubscribe = null;
      }
    };
  };

  return {
    async call<C extends Channel>(
      channel: C,
      request: RequestOf<C>,
      options: CallOptions<C> = {},
    ): Promise<Result<ResultOf<C>>> {
      const callId = nextCallId();
      const { signal, onProgress } = options;
      const stopProgress = onProgress
        ? subscribe((event) => {
            if (event.kind === 'progress' && event.callId === callId)
              onProgress(event.progress as ProgressOf<C>);
          })
        : null;
      const onAbort = (): void => bridge.cancel(callId);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const pending = bridge.invoke(callId, channel, request);
        // Already aborted: the main side answers CANCELLED in the app's language.
        if (signal?.aborted) bridge.cancel(callId);
        return (await pending) as Result<ResultOf<C>>;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        stopProgress?.();
      }
    },
    onOpenFiles(listener) {
      return subscribe((event) => {
        if (event.kind === 'open-files') listener(event.paths);
      });
    },
    onEngineRestarted(listener) {
      return subscribe((event) => {
        if (event.kind === 'engine-restarted') listener(event.reason);
      });
    },
    onLanguageChanged(listener) {
      return subscribe((event) => {
        if (event.kind === 'language-changed') listener(event.language);
      });
    },
    onBridgeEvent(listener) {
      return subscribe((event) => {
        if (event.kind === 'bridge-request' || event.kind === 'bridge-request-closed') listener(event);
      });
    },
    pathForFile(file) {
      return bridge.pathForFile(file);
    },
  };
}
