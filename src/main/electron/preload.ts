// The preload: window.kyso (the contract's KysoBridge) through contextBridge, and nothing else. It
// runs sandboxed, so it is bundled to one CommonJS file that requires only `electron`
// (scripts/bundle-preload.mjs). Only plain functions and cloneable data cross the bridge.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { BridgeEvent, KysoBridge } from '../../shared/contract/bridge.js';
import { IPC_CANCEL, IPC_EVENT, IPC_INVOKE } from './ipc-channels.js';

const bridge: KysoBridge = {
  invoke: (callId, channel, request) => ipcRenderer.invoke(IPC_INVOKE, callId, channel, request),
  cancel: (callId) => ipcRenderer.send(IPC_CANCEL, callId),
  onEvent(listener) {
    // The IPC event object (with its sender) never reaches the page: only the payload.
    const wrapped = (_event: unknown, payload: BridgeEvent): void => listener(payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
  pathForFile: async (file) => {
    try {
      const path = webUtils.getPathForFile(file as unknown as File);
      return path === '' ? null : path;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('kyso', bridge);
