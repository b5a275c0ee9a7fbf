// The host side of the app, shared by the Electron shell and the web host: it takes each request
// from a window (already tagged with that window's call id), parses it with the contract, serves
// the window's own channels (dialogs, language, files from the OS) and hands the rest to the engine
// process. Events go to every window (open-files, engine-restarted, language-changed) or to the
// caller only (progress).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  errorResult,
  okResult,
  type BridgeEvent,
  type Language,
  type ParsedRequestOf,
  type Result,
} from '../shared/contract/index.js';
import { Secret } from '../shared/secret.js';
import { kysoHome } from '../signing/settings.js';
import { saveLanguage } from './services/app-settings.js';
import { isHostChannel, type HostChannel } from './services/channel-sides.js';
import { dialogHandlers, type DialogProvider } from './services/dialog-service.js';
import { dispatch, parseRequest } from './services/dispatcher.js';
import { toContractError } from './services/error-envelope.js';
import type { CredentialVault } from './services/credential-vault.js';
import type { Handlers } from './services/service-types.js';
import type { EngineSupervisor } from './engine/engine-supervisor.js';
import { DocumentRanges } from './document-ranges.js';

export interface AppCoreOptions {
  readonly engine: EngineSupervisor;
  readonly dialogs: DialogProvider;
  readonly language: Language;
  /** true behind the development web host. */
  readonly webHost: boolean;
  readonly platform?: string;
  /**
   * The upload credential's store when the host keeps it (the shell: the OS secret store, which
   * exists in the main process only). upload.settings.set's credential then stays here and the engine
   * process gets its value over the engine protocol. Without it (web host) the engine keeps it.
   */
  readonly vault?: CredentialVault;
}

/** The app's version, from the package.json two folders up (dist/main → the package root). */
function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export class AppCore {
  readonly #engine: EngineSupervisor;
  readonly #host: Handlers<HostChannel>;
  readonly #listeners = new Set<(event: BridgeEvent) => void>();
  readonly #hostCalls = new Map<string, AbortController>();
  /** document.read of the documents the engine opened, served here (see document-ranges.ts). */
  readonly #ranges = new DocumentRanges();
  readonly #vault: CredentialVault | undefined;
  #language: Language;
  #openFiles: string[] = [];

  constructor(options: AppCoreOptions) {
    this.#engine = options.engine;
    this.#language = options.language;
    this.#vault = options.vault;
    const vault = options.vault;
    // Set before any engine process starts (the shell warms it up after this): each gets it first.
    if (vault) void this.#engine.useCredential(() => vault.read());
    const version = appVersion();
    this.#host = {
      'app.info': async () => ({
        version,
        language: this.#language,
        platform: options.platform ?? process.platform,
        home: kysoHome(),
        webHost: options.webHost,
      }),
      'app.setLanguage': async ({ language }) => {
        await saveLanguage(language);
        this.#language = language;
        this.#emit({ kind: 'language-changed', language });
        return { language };
      },
      'app.takeOpenFiles': async () => {
        const paths = this.#openFiles;
        this.#openFiles = [];
        return { paths };
      },
      ...dialogHandlers(options.dialogs),
    };
  }

  get language(): Language {
    return this.#language;
  }

  /** Every window's events. Returns the unsubscribe function. */
  subscribe(listener: (event: BridgeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: BridgeEvent): void {
    for (const l of [...this.#listeners]) l(event);
  }

  /** An event the engine process raised on its own (the local bridge's questions): to every window. */
  engineEvent(event: BridgeEvent): void {
    this.#emit(event);
  }

  /** The engine process was restarted after a crash. */
  engineRestarted(reason: string): void {
    this.#emit({ kind: 'engine-restarted', reason });
  }

  /** Files handed over by the OS (argv, Open with, a second launch, a drop): kept until taken. */
  addOpenFiles(paths: readonly string[]): void {
    const pdfs = paths.filter((p) => p.toLowerCase().endsWith('.pdf'));
    if (pdfs.length === 0) return;
    this.#openFiles.push(...pdfs);
    this.#emit({ kind: 'open-files', paths: pdfs });
  }

  /**
   * One request. `callId` must be unique for the caller's lifetime (the carriers prefix it with the
   * window or connection). Never rejects: every outcome is an envelope.
   */
  async invoke(
    callId: string,
    channel: unknown,
    request: unknown,
    onProgress: (progress: unknown) => void = () => undefined,
  ): Promise<Result<unknown>> {
    const language = this.#language;
    let parsed;
    try {
      parsed = parseRequest(channel, request);
    } catch (err) {
      return errorResult(toContractError(err, language));
    }
    if (parsed.channel === 'document.read') {
      const { documentId, offset, length } = parsed.request as ParsedRequestOf<'document.read'>;
      // Documents the host does not know (the local bridge's previews) are read by the engine.
      const file = this.#engine.documentPath(documentId);
      if (file !== undefined) {
        try {
          return okResult(await this.#ranges.read(documentId, file, offset, length));
        } catch (err) {
          return errorResult(toContractError(err, language));
        }
      }
    } else if (parsed.channel === 'document.readMany') {
      const { documentId, ranges } = parsed.request as ParsedRequestOf<'document.readMany'>;
      const file = this.#engine.documentPath(documentId);
      if (file !== undefined) {
        try {
          return okResult(await this.#ranges.readMany(documentId, file, ranges));
        } catch (err) {
          return errorResult(toContractError(err, language));
        }
      }
    } else if (parsed.channel === 'document.close') {
      this.#ranges.close((parsed.request as ParsedRequestOf<'document.close'>).documentId);
    }
    if (parsed.channel === 'upload.settings.set' && this.#vault) {
      return this.#uploadSettings(
        callId,
        parsed.request as ParsedRequestOf<'upload.settings.set'>,
        this.#vault,
        language,
      );
    }
    if (isHostChannel(parsed.channel)) {
      const controller = new AbortController();
      this.#hostCalls.set(callId, controller);
      try {
        return await dispatch(this.#host, parsed.channel, parsed.request, {
          signal: controller.signal,
          language,
          progress: onProgress,
        });
      } finally {
        this.#hostCalls.delete(callId);
      }
    }
    return this.#engine.call(callId, parsed.channel, parsed.request, language, onProgress);
  }

  /**
   * upload.settings.set when the host keeps the credential: the destination goes to the engine
   * without the credential; once the engine accepted it, the credential is stored (encrypted) or
   * cleared here and its new value pushed to the engine, whose answer then reflects it.
   */
  async #uploadSettings(
    callId: string,
    request: ParsedRequestOf<'upload.settings.set'>,
    vault: CredentialVault,
    language: Language,
  ): Promise<Result<unknown>> {
    const { credential, ...destination } = request;
    const saved = await this.#engine.call(callId, 'upload.settings.set', destination, language);
    if (!saved.ok || credential === undefined) return saved;
    try {
      if ('set' in credential) await vault.store(new Secret(credential.set.trim()));
      else await vault.clear();
    } catch (err) {
      return errorResult(toContractError(err, language));
    }
    await this.#engine.credentialChanged();
    return this.#engine.call(`${callId}:view`, 'upload.settings.get', {}, language);
  }

  cancel(callId: string): void {
    this.#hostCalls.get(callId)?.abort();
    this.#engine.cancel(callId);
  }
}
