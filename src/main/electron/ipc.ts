// The main process's side of the contract: every request is checked to come from the app's own
// top-level page (never a subframe, never another origin), then parsed by the host core with the
// contract's schema. Progress goes back to the calling window only; other events to every window.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { errorResult, type BridgeEvent, type Result } from '../../shared/contract/index.js';
import type { AppCore } from '../app-core.js';
import { contractError } from '../services/error-envelope.js';
import { APP_ORIGIN, IPC_CANCEL, IPC_EVENT, IPC_INVOKE } from './ipc-channels.js';

const CALL_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The app's own page: served from app://kyso/, the window's main frame. */
export function isAppFrame(frame: WebFrameMain | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  // A prefix test with the slash: app://kyso.other/ or app://kyso@other/ are not the app.
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}

export interface IpcOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;
  readonly core: AppCore;
  /** The windows that get broadcast events. */
  readonly windows: () => readonly { readonly webContents: WebContents }[];
}

export function registerIpc(options: IpcOptions): () => void {
  const { ipcMain, core } = options;
  const inFlight = new Map<number, Set<string>>();
  const key = (contents: WebContents, callId: string): string => `w${contents.id}:${callId}`;

  ipcMain.handle(
    IPC_INVOKE,
    async (
      event: IpcMainInvokeEvent,
      callId: unknown,
      channel: unknown,
      request: unknown,
    ): Promise<Result<unknown>> => {
      const language = core.language;
      if (!isAppFrame(event.senderFrame)) return errorResult(contractError('FRAME_REJECTED', {}, language));
      if (typeof callId !== 'string' || !CALL_ID.test(callId)) {
        return errorResult(
          contractError(
            'CONTRACT_INVALID_REQUEST',
            { channel: String(channel), reason: 'bad call id' },
            language,
          ),
        );
      }
      const contents = event.sender;
      let calls = inFlight.get(contents.id);
      if (!calls) {
        const created = new Set<string>();
        calls = created;
        inFlight.set(contents.id, created);
        // A window that closes (or reloads away) cancels what it started.
        contents.once('destroyed', () => {
          for (const id of created) core.cancel(key(contents, id));
          inFlight.delete(contents.id);
        });
      }
      calls.add(callId);
      try {
        return await core.invoke(key(contents, callId), channel, request, (progress) => {
          if (!contents.isDestroyed()) {
            const payload: BridgeEvent = { kind: 'progress', callId, progress };
            contents.send(IPC_EVENT, payload);
          }
        });
      } finally {
        calls.delete(callId);
      }
    },
  );

  ipcMain.on(IPC_CANCEL, (event: IpcMainEvent, callId: unknown) => {
    if (!isAppFrame(event.senderFrame) || typeof callId !== 'string' || !CALL_ID.test(callId)) return;
    core.cancel(key(event.sender, callId));
  });

  const unsubscribe = core.subscribe((event) => {
    for (const w of options.windows()) if (!w.webContents.isDestroyed()) w.webContents.send(IPC_EVENT, event);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE);
    ipcMain.removeAllListeners(IPC_CANCEL);
  };
}
