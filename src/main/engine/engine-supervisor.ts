// Runs the engine process for the host: routes calls, progress and cancels by call id; when the
// process dies, answers every call in flight with ENGINE_CRASHED, removes the temporary outputs the
// dead process left, starts a new one with the same open documents, and tells the windows.
import {
  errorResult,
  type BridgeEvent,
  type Channel,
  type Language,
  type OpenedDocument,
  type Result,
} from '../../shared/contract/index.js';
import type { Secret } from '../../shared/secret.js';
import { contractError } from '../services/error-envelope.js';
import { FromEngineSchema, type EngineProcess, type SpawnEngine } from './engine-protocol.js';

interface PendingCall {
  readonly channel: Channel;
  readonly request: unknown;
  readonly language: Language;
  readonly onProgress: (progress: unknown) => void;
  readonly resolve: (result: Result<unknown>) => void;
}

export interface EngineSupervisorOptions {
  readonly spawn: SpawnEngine;
  /** After a crash and restart (the windows get an engine-restarted event). */
  readonly onRestart?: (reason: string) => void;
  /** Events the engine raises on its own (the local bridge's questions), for every window. */
  readonly onEvent?: (event: BridgeEvent) => void;
  /** Removes what a dead engine left of an output it was writing (default: the engine's own rule). */
  readonly removeStaleOutputs?: (output: string) => Promise<unknown>;
}

/** The output a call writes, if any: cleaned after a crash. */
function outputOf(channel: Channel, request: unknown): string | null {
  if (channel !== 'sign.run' && channel !== 'verify.saveReport') return null;
  const output = (request as { output?: unknown } | null)?.output;
  return typeof output === 'string' ? output : null;
}

async function defaultRemoveStaleOutputs(output: string): Promise<unknown> {
  // Loaded on a crash only: the host process does not otherwise need the signing code.
  const { removeStaleOutputs } = await import('../../signing/sign-api.js');
  return removeStaleOutputs(output);
}

const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES_IN_WINDOW = 5;

export class EngineSupervisor {
  readonly #options: EngineSupervisorOptions;
  readonly #pending = new Map<string, PendingCall>();
  /** Open documents, so that a new engine process knows them under the same ids. */
  readonly #documents = new Map<string, string>();
  #engine: EngineProcess | null = null;
  #ready: Promise<void> | null = null;
  #disposed = false;
  #restarts = 0;
  /** When the latest crashes happened: a process that keeps dying is started on the next call only. */
  #crashTimes: number[] = [];
  /** The upload credential the host keeps (the shell's OS secret store), pushed to every process. */
  #credential: (() => Promise<Secret | undefined>) | null = null;

  constructor(options: EngineSupervisorOptions) {
    this.#options = options;
  }

  /** How many times the engine process was restarted after dying. */
  get restarts(): number {
    return this.#restarts;
  }

  get pid(): number | undefined {
    return this.#engine?.pid;
  }

  #start(): Promise<void> {
    const engine = this.#options.spawn();
    this.#engine = engine;
    this.#ready = new Promise<void>((resolve) => {
      engine.onMessage((raw) => {
        const parsed = FromEngineSchema.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'ready') return resolve(this.#pushCredential(engine));
        if (message.type === 'event') return this.#options.onEvent?.(message.event);
        const call = this.#pending.get(message.callId);
        if (!call) return;
        if (message.type === 'progress') call.onProgress(message.progress);
        else {
          this.#pending.delete(message.callId);
          this.#remember(call.channel, call.request, message.result);
          call.resolve(message.result);
        }
      });
      engine.onExit((reason) => {
        resolve(); // a process that died before it was ready: calls fail below, not hang
        void this.#onExit(engine, reason);
      });
    });
    if (this.#documents.size > 0) {
      const documents = [...this.#documents].map(([documentId, path]) => ({ documentId, path }));
      void this.#ready.then(() => engine.send({ type: 'restore', documents }));
    }
    return this.#ready;
  }

  /** Reads the host's credential and sends it to `engine`; resolves once it is sent (or not there). */
  async #pushCredential(engine: EngineProcess): Promise<void> {
    if (this.#credential === null) return;
    let secret: Secret | undefined;
    try {
      secret = await this.#credential();
    } catch {
      secret = undefined; // an unreadable store counts as none: the engine then asks for one
    }
    // Sent only to the process that is current: a dead one's carrier drops it anyway.
    if (this.#engine === engine) engine.send({ type: 'credential', value: secret?.reveal() ?? null });
  }

  /**
   * The host keeps the upload credential (`read` gives it): each engine process gets it before its
   * first call, after a restart too. Call `credentialChanged` after storing or clearing it.
   */
  async useCredential(read: () => Promise<Secret | undefined>): Promise<void> {
    this.#credential = read;
    await this.credentialChanged();
  }

  /** Sends the host's current credential to the running process (a process started later gets it then). */
  async credentialChanged(): Promise<void> {
    const engine = this.#engine;
    if (engine === null) return;
    await this.#ready;
    // The start sequence pushes it already if the process was not ready yet; pushing twice is harmless.
    if (this.#engine === engine) await this.#pushCredential(engine);
  }

  #remember(channel: Channel, request: unknown, result: Result<unknown>): void {
    if (!result.ok) return;
    if (channel === 'document.open') {
      const opened = result.value as OpenedDocument;
      this.#documents.set(opened.documentId, opened.path);
    } else if (channel === 'document.close') {
      this.#documents.delete((request as { documentId: string }).documentId);
    }
  }

  async #onExit(engine: EngineProcess, reason: string): Promise<void> {
    if (this.#engine !== engine) return;
    this.#engine = null;
    this.#ready = null;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    if (this.#disposed) {
      for (const call of calls) call.resolve(errorResult(contractError('CANCELLED', {}, call.language)));
      return;
    }
    // Nothing half-written may survive the dead process: its temporary outputs go before anyone
    // is told, so a caller that sees ENGINE_CRASHED finds no trace of the output.
    const remove = this.#options.removeStaleOutputs ?? defaultRemoveStaleOutputs;
    for (const call of calls) {
      const output = outputOf(call.channel, call.request);
      if (output !== null) await remove(output).catch(() => undefined);
    }
    this.#restarts += 1;
    const now = Date.now();
    this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.#crashTimes.length <= MAX_CRASHES_IN_WINDOW) await this.#start();
    for (const call of calls)
      call.resolve(errorResult(contractError('ENGINE_CRASHED', { reason }, call.language)));
    this.#options.onRestart?.(reason);
  }

  /** Sends one call (already parsed by the host) and resolves with its envelope; never rejects. */
  async call(
    callId: string,
    channel: Channel,
    request: unknown,
    language: Language,
    onProgress: (progress: unknown) => void = () => undefined,
  ): Promise<Result<unknown>> {
    if (this.#disposed) return errorResult(contractError('CANCELLED', {}, language));
    if (this.#pending.has(callId)) {
      return errorResult(
        contractError('CONTRACT_INVALID_REQUEST', { channel, reason: 'call id already in use' }, language),
      );
    }
    if (!this.#engine) await this.#start();
    else await this.#ready;
    const engine = this.#engine;
    if (!engine) return errorResult(contractError('ENGINE_CRASHED', {}, language));
    return new Promise((resolve) => {
      this.#pending.set(callId, { channel, request, language, onProgress, resolve });
      engine.send({ type: 'call', callId, channel, request, language });
    });
  }

  cancel(callId: string): void {
    if (this.#pending.has(callId)) this.#engine?.send({ type: 'cancel', callId });
  }

  /** The path of a document the engine opened (document.open answered), for the host's range reads. */
  documentPath(documentId: string): string | undefined {
    return this.#documents.get(documentId);
  }

  /** Starts the process now rather than on the first call (the first screen then answers sooner). */
  async warmUp(): Promise<void> {
    if (!this.#engine && !this.#disposed) await this.#start();
  }

  dispose(): void {
    this.#disposed = true;
    this.#engine?.kill();
  }
}
