// window.kyso is the Electron preload's bridge; in a plain browser (the web host) there is none,
// and the renderer builds the WebSocket adapter itself.
import { MESSAGES } from '../../shared/messages.js';
import type { KysoBridge, Language } from '../../shared/contract/index.js';
import { createWebBridge } from './web-bridge.js';

declare global {
  interface Window {
    kyso?: KysoBridge;
  }
}

export function findBridge(language: () => Language): KysoBridge {
  if (window.kyso) return window.kyso;
  return createWebBridge({
    pageUrl: window.location.href,
    connectionLost: () => ({
      code: 'INTERNAL',
      message: MESSAGES.INTERNAL[language()]({ reason: 'connection lost' }),
    }),
  });
}
