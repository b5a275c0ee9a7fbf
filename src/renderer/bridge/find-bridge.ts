// window.kyso is the Electron preload's bridge; in a plain browser (the web host) there is none,
// and the renderer builds the WebSocket adapter itself. The adapter loads beside the first screen,
// not before it.
import { MESSAGES } from '../../shared/messages.js';
import type { BridgeEvent, FileLike, KysoBridge, Language } from '../../shared/contract/index.js';

declare global {
  interface Window {
    kyso?: KysoBridge;
  }
}

export function findBridge(language: () => Language): KysoBridge {
  if (window.kyso) return window.kyso;
  const loading = import('./web-bridge.js').then(({ createWebBridge }) =>
    createWebBridge({
      pageUrl: window.location.href,
      connectionLost: () => ({
        code: 'INTERNAL',
        message: MESSAGES.INTERNAL[language()]({ reason: 'connection lost' }),
      }),
    }),
  );
  return {
    invoke: async (callId, channel, request) => (await loading).invoke(callId, channel, request),
    cancel: (callId) => void loading.then((b) => b.cancel(callId)),
    onEvent(listener: (event: BridgeEvent) => void) {
      let stop: (() => void) | null = null;
      let stopped = false;
      void loading.then((b) => {
        if (!stopped) stop = b.onEvent(listener);
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    pathForFile: async (file: FileLike) => (await loading).pathForFile(file),
  };
}
