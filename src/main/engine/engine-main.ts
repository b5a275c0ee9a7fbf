// The engine process: the services that touch documents and tokens, behind the engine protocol. Run
// by child_process.fork (web host, tests) or Electron's utilityProcess.fork (the shell); both carry
// structured-clone messages, through process.send or process.parentPort.
import { BridgeService } from '../services/bridge-service.js';
import { dispatch } from '../services/dispatcher.js';
import { DocumentTable } from '../services/document-table.js';
import { engineHandlers } from '../services/engine-handlers.js';
import { HostHeldVault } from '../services/host-held-vault.js';
import { ToEngineSchema, type FromEngine } from './engine-protocol.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: FromEngine): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

const documents = new DocumentTable();
// The local bridge starts with the engine when the user enabled it (and again after a restart).
const bridge = new BridgeService({ documents, emit: (event) => send({ type: 'event', event }) });
// The upload credential: what the shell pushes from the OS secret store, or (web host) memory.
const vault = new HostHeldVault();
const handlers = engineHandlers(documents, bridge, vault);
const running = new Map<string, AbortController>();

/** Bugs only (INTERNAL): the channel and the error's stack for IT staff; never the request. */
function logInternal(channel: string, err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`[kyso engine] internal error in ${channel}: ${text}\n`);
}

onMessage((raw) => {
  const parsed = ToEngineSchema.safeParse(raw);
  if (!parsed.success) return; // only the host talks here; anything else is ignored
  const message = parsed.data;
  switch (message.type) {
    case 'cancel':
      running.get(message.callId)?.abort();
      return;
    case 'restore':
      for (const d of message.documents) documents.restore(d.documentId, d.path);
      return;
    case 'credential':
      vault.receive(message.value);
      return;
    case 'call': {
      const controller = new AbortController();
      running.set(message.callId, controller);
      void dispatch(
        handlers,
        message.channel,
        message.request,
        {
          signal: controller.signal,
          language: message.language,
          progress: (progress) => send({ type: 'progress', callId: message.callId, progress }),
        },
        { onInternalError: logInternal },
      ).then((result) => {
        running.delete(message.callId);
        send({ type: 'result', callId: message.callId, result });
      });
      return;
    }
  }
});

// The host disconnecting means the app is gone: nothing may keep a token session open after it.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
void bridge.startFromSettings();
