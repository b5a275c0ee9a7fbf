// The one message protocol between the host (Electron main process, web host, tests) and the engine
// process, whether that is a child_process.fork child or an Electron utility process. Structured
// clone on both carriers, so Uint8Array results travel as they are.
import { z } from 'zod';
import { LanguageSchema, type BridgeEvent, type Result } from '../../shared/contract/index.js';

export const ToEngineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    callId: z.string().min(1).max(200),
    channel: z.string().max(100),
    request: z.unknown(),
    language: LanguageSchema,
  }),
  z.object({ type: z.literal('cancel'), callId: z.string().min(1).max(200) }),
  /** After a restart: the documents the renderer still has open, under their ids. */
  z.object({
    type: z.literal('restore'),
    documents: z.array(z.object({ documentId: z.string(), path: z.string() })),
  }),
  /**
   * The upload credential the host keeps in the OS secret store (Electron's safeStorage is main-process
   * only): sent at every start, before any call, and after every change; null when there is none. It
   * travels over the IPC channel only, never in the child's argv or environment, and is never logged.
   */
  z.object({ type: z.literal('credential'), value: z.string().min(1).max(8192).nullable() }),
]);
export type ToEngine = z.infer<typeof ToEngineSchema>;

export const FromEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('progress'), callId: z.string(), progress: z.unknown() }),
  /** An event for every window that no call asked for (the local bridge's questions to the user). */
  z.object({
    type: z.literal('event'),
    event: z.custom<BridgeEvent>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        ['bridge-request', 'bridge-request-closed'].includes(String((v as { kind?: unknown }).kind)),
    ),
  }),
  z.object({
    type: z.literal('result'),
    callId: z.string(),
    result: z.custom<Result<unknown>>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean',
    ),
  }),
]);
export type FromEngine = z.infer<typeof FromEngineSchema>;

/** The host's view of one engine process, whatever carries it. */
export interface EngineProcess {
  send(message: ToEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone (crash, kill, exit). */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type SpawnEngine = () => EngineProcess;
