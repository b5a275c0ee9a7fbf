// The IPC channel names between the preload and the main process (one carrier for the whole contract).
export const IPC_INVOKE = 'kyso:invoke';
export const IPC_CANCEL = 'kyso:cancel';
export const IPC_EVENT = 'kyso:event';

/** The app's own pages are served from this origin (app-protocol.ts); no other frame may call. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kyso';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
