// Which side serves a channel. The host (Electron main process or web host) keeps what belongs to the
// window: dialogs, language, files handed over by the OS. Everything that touches documents or
// tokens runs in the engine process, so a slow or crashing token never freezes or kills the window.
import type { Channel } from '../../shared/contract/index.js';

export const HOST_CHANNELS = [
  'app.info',
  'app.setLanguage',
  'app.takeOpenFiles',
  'dialog.openPdf',
  'dialog.openFolder',
  'dialog.openImage',
  'dialog.openCertificate',
  'dialog.openLibrary',
  'dialog.saveAs',
  'dialog.showInFolder',
] as const satisfies readonly Channel[];

export type HostChannel = (typeof HOST_CHANNELS)[number];
export type EngineChannel = Exclude<Channel, HostChannel>;

export function isHostChannel(channel: Channel): channel is HostChannel {
  return (HOST_CHANNELS as readonly string[]).includes(channel);
}
