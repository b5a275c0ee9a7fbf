// The local bridge in the app (issue 16): the engine's bridge (kyso/bridge), started in the engine
// process with the app when the user enabled it. It lives there, beside the token and signing code,
// rather than in the Electron main process or the web host: a slow token or a heavy signature then
// never freezes the window, and a crash restarts it with the engine (which starts it again).
// Each request to sign becomes a `bridge-request` event for every window; the dialog answers with
// bridge.answer (Đồng ý with the PIN, or Từ chối). No answer in 5 minutes is a no (the engine's rule).
// The PIN stays a Secret from the answer to C_Login and is dropped when the request ends.
import { stat } from 'node:fs/promises';
import type {
  BridgeEvent as WindowEvent,
  BridgeOutcome,
  BridgeRequestView,
  BridgeSigningEndpoint,
  BridgeStatusView,
  CertificateRef,
  ContractError,
  Language,
} from '../../shared/contract/index.js';
import { KysoError, isErrorCode } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import { Secret } from '../../shared/secret.js';
import {
  startBridge,
  type BridgeEvent as EngineBridgeEvent,
  type BridgeIdentity,
  type ConfirmationRequest,
  type RunningBridge,
} from '../../signing/bridge-api.js';
import { readCertificateFiles } from '../../signing/certificates-api.js';
import { signingRevocationPolicyFromSettings, type PdfSignOptions } from '../../signing/sign-api.js';
import { loadEffectiveSettings, loadSettings, type Settings } from '../../signing/settings.js';
import { assertChangeAllowed } from './policy-service.js';
import {
  loadBridgeSettings,
  normalizeOrigins,
  saveBridgeSettings,
  type BridgeAppSettings,
} from './bridge-settings.js';
import type { DocumentTable } from './document-table.js';
import { toContractError } from './error-envelope.js';
import type { Handlers } from './service-types.js';
import { openModule, readTokenCertificate } from './token-access.js';
import { tokenHandlers } from './tokens-service.js';

export type BridgeChannel = 'bridge.status' | 'bridge.settings.set' | 'bridge.answer' | 'bridge.preview';

interface Pending {
  readonly view: BridgeRequestView;
  readonly file: string;
  readonly answer: (accepted: boolean) => void;
  previewId?: string;
}

export interface BridgeServiceOptions {
  readonly documents: DocumentTable;
  /** To every window (the engine process sends it to the host). */
  readonly emit: (event: WindowEvent) => void;
  /** KYSO_HOME (tests); the environment's otherwise. */
  readonly home?: string;
}

/** The TSA of the settings makes the signatures B-T, as for sign.run. */
function signOptions(settings: Settings): PdfSignOptions {
  const url = settings.tsa.url;
  const proxy = settings.network.proxy;
  return {
    digest: 'sha256',
    level: url ? 'B-T' : 'B-B',
    ...(url
      ? {
          tsa: {
            url,
            ...(settings.tsa.timeoutMs !== undefined ? { timeoutMs: settings.tsa.timeoutMs } : {}),
            ...(settings.tsa.retries !== undefined ? { retries: settings.tsa.retries } : {}),
            ...(settings.tsa.policyOid !== undefined ? { policyOid: settings.tsa.policyOid } : {}),
            ...(proxy ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {}),
          },
        }
      : {}),
  };
}

const SIGNING: readonly string[] = ['SignApproved', 'SignIssued', 'SignAppendix', 'SignCopy'];

export class BridgeService {
  readonly #options: BridgeServiceOptions;
  #settings: BridgeAppSettings = { enabled: false, allowedOrigins: [], certificate: null };
  #running: RunningBridge | null = null;
  #preset: readonly string[] = [];
  #port = 0;
  #mode: 'tls' | 'plain' | 'both' = 'tls';
  /** The machine policy locks bridge.allowedOrigins: only its (preset) origins apply. */
  #originsLocked = false;
  #error: ContractError | null = null;
  #language: Language = 'vi';
  /** Questions on screen, by request id. */
  readonly #pending = new Map<number, Pending>();
  /** Requests shown to the user whose end the windows have not been told yet. */
  readonly #shown = new Map<number, Pending>();
  /** Signing requests being handled or waiting their turn. */
  readonly #active = new Set<number>();
  /** The certificate of the request being handled (one signing at a time). */
  #ref: CertificateRef | null = null;
  /** The PIN of the request the user just accepted; taken once by the signer. */
  #pin: { readonly secret: Secret | null; readonly allowFinalTry: boolean } | null = null;
  /** Serialises starts and stops. */
  #change: Promise<void> = Promise.resolve();

  constructor(options: BridgeServiceOptions) {
    this.#options = options;
  }

  /** At the engine's start: the bridge runs when the user enabled it. */
  startFromSettings(): Promise<void> {
    return this.#serialise(async () => {
      this.#settings = await loadBridgeSettings(this.#options.home);
      await this.#restart();
    });
  }

  close(): Promise<void> {
    return this.#serialise(async () => {
      await this.#running?.close();
      this.#running = null;
    });
  }

  #serialise(work: () => Promise<void>): Promise<void> {
    const next = this.#change.then(work, work);
    this.#change = next.catch(() => undefined);
    return next;
  }

  async #restart(): Promise<void> {
    await this.#running?.close();
    this.#running = null;
    this.#error = null;
    const effective = await loadEffectiveSettings(this.#options.home);
    const { settings } = effective;
    this.#preset = normalizeOrigins(settings.bridge.allowedOrigins);
    // What the machine policy locks, the app's own choice does not change.
    this.#originsLocked = effective.lockOf('bridge.allowedOrigins') !== null;
    const portLocked = effective.lockOf('bridge.port') !== null;
    this.#port = portLocked ? settings.bridge.port : (this.#settings.port ?? settings.bridge.port);
    this.#mode = settings.bridge.mode;
    if (!this.#settings.enabled) return;
    try {
      const intermediates = await readCertificateFiles(settings.intermediates);
      this.#running = await startBridge({
        identity: this.#identity(),
        confirm: (request, signal) => this.#confirm(request, signal),
        allowedOrigins: [...new Set([...this.#preset, ...this.#userOrigins()])],
        port: this.#port,
        mode: this.#mode,
        lang: this.#language,
        ...(this.#options.home !== undefined ? { home: this.#options.home } : {}),
        maxFileBytes: settings.bridge.maxFileMB * 1024 * 1024,
        uploadField: settings.bridge.uploadField,
        profile: {
          options: {
            ...signOptions(settings),
            revocation: signingRevocationPolicyFromSettings(settings, intermediates),
          },
          issuedTemplate: settings.bridge.issuedTemplate,
        },
        onEvent: (event) => this.#onBridgeEvent(event),
      });
    } catch (err) {
      this.#error = toContractError(err, this.#language);
    }
  }

  /** The configured certificate, else the only one present that can sign now. */
  async #certificateRef(): Promise<CertificateRef> {
    if (this.#settings.certificate) return this.#settings.certificate;
    const { modules } = await tokenHandlers()['tokens.list'](
      {},
      {
        signal: new AbortController().signal,
        progress: () => undefined,
        language: this.#language,
      },
    );
    const refs: CertificateRef[] = [];
    for (const m of modules)
      for (const slot of m.slots)
        for (const c of slot.token?.certificates ?? []) {
          if (c.hasPrivateKey === false || c.isAuthority) continue;
          if (!c.warnings.every((w) => w === 'expiring-soon')) continue;
          refs.push({
            modulePath: m.path,
            tokenSerial: slot.token!.serial,
            slotId: slot.slotId,
            keyId: c.id,
          });
        }
    const only = refs[0];
    if (refs.length !== 1 || !only) {
      throw new KysoError('BRIDGE_CERTIFICATE_NOT_CHOSEN', `${refs.length} signing certificates`, {
        details: { count: refs.length },
      });
    }
    return only;
  }

  #identity(): BridgeIdentity {
    return {
      certificate: async () => {
        const ref = await this.#certificateRef();
        this.#ref = ref;
        return (await readTokenCertificate(ref)).der;
      },
      acquire: async () => {
        const ref = this.#ref ?? (await this.#certificateRef());
        const pin = this.#pin;
        this.#pin = null;
        const settings = await loadSettings(this.#options.home);
        const intermediates = await readCertificateFiles(settings.intermediates);
        const manager = await openModule(ref.modulePath, settings);
        try {
          const signer = await manager.openSigner(
            { token: ref.tokenSerial, slot: ref.slotId, keyId: ref.keyId },
            {
              getPin: async () => {
                if (!pin?.secret) throw new KysoError('PIN_NOT_PROVIDED', 'no PIN in the answer');
                return pin.secret;
              },
              allowFinalTry: pin?.allowFinalTry ?? false,
              intermediates,
            },
          );
          return {
            signer,
            release: () => {
              signer.session.close();
              manager.close();
            },
          };
        } catch (err) {
          manager.close();
          throw err;
        }
      },
    };
  }

  #confirm(request: ConfirmationRequest, signal: AbortSignal): Promise<boolean> {
    const ref = this.#ref;
    if (!ref || !SIGNING.includes(request.endpoint)) return Promise.resolve(false);
    const view: BridgeRequestView = {
      requestId: request.id,
      site: request.origin,
      endpoint: request.endpoint as BridgeSigningEndpoint,
      fileName: request.fileName,
      pages: request.pages,
      bytes: request.bytes,
      destination: request.uploadTo,
      docNumber: request.docNumber ?? null,
      issuedDate: request.issuedDate ?? null,
      certificate: {
        subject: request.certificate.subject,
        issuer: request.certificate.issuer,
        serial: request.certificate.serialHex,
        notAfter: request.certificate.notAfter.toISOString(),
      },
      certificateRef: ref,
    };
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        if (!this.#pending.has(request.id)) return;
        this.#pending.delete(request.id);
        resolve(false);
        this.#closed(request.id, 'withdrawn', null);
      };
      const pending: Pending = {
        view,
        file: request.file,
        answer: (accepted) => {
          if (!this.#pending.delete(request.id)) return;
          signal.removeEventListener('abort', onAbort);
          resolve(accepted);
        },
      };
      this.#pending.set(request.id, pending);
      this.#shown.set(request.id, pending);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      else this.#options.emit({ kind: 'bridge-request', request: view });
    });
  }

  #onBridgeEvent(event: EngineBridgeEvent): void {
    switch (event.kind) {
      case 'request':
        if (SIGNING.includes(event.endpoint)) this.#active.add(event.id);
        return;
      case 'delivered':
        this.#active.delete(event.id);
        this.#closed(event.id, 'delivered', null);
        return;
      case 'kept':
        this.#closed(event.id, 'kept', null);
        return;
      case 'failed': {
        this.#active.delete(event.id);
        const outcome: BridgeOutcome =
          event.code === 'BRIDGE_DECLINED' ? 'declined' : event.code === 'CANCELLED' ? 'withdrawn' : 'failed';
        const message =
          outcome === 'failed' && isErrorCode(event.code) ? messageFor(event.code, {}, this.#language) : null;
        this.#closed(event.id, outcome, message);
        return;
      }
      default:
        return;
    }
  }

  /** Tells the windows once; the preview and any PIN not used go with the request. */
  #closed(requestId: number, outcome: BridgeOutcome, message: string | null): void {
    const shown = this.#shown.get(requestId);
    if (!shown) return;
    this.#shown.delete(requestId);
    this.#pending.delete(requestId);
    if (shown.previewId !== undefined) this.#options.documents.close(shown.previewId);
    if (this.#pending.size === 0) this.#pin = null;
    this.#options.emit({ kind: 'bridge-request-closed', requestId, outcome, message });
  }

  #userOrigins(): readonly string[] {
    return this.#originsLocked ? [] : this.#settings.allowedOrigins;
  }

  status(): BridgeStatusView {
    const running = this.#running;
    const scheme = this.#mode === 'plain' ? 'ws' : 'wss';
    return {
      enabled: this.#settings.enabled,
      running: running !== null,
      port: running?.port ?? this.#port,
      mode: this.#mode,
      url: running ? `${scheme}://127.0.0.1:${running.port}` : null,
      allowedOrigins: this.#userOrigins(),
      presetOrigins: this.#preset,
      queueLength: this.#active.size,
      pending: [...this.#pending.values()].map((p) => p.view),
      tlsFingerprint: running?.certificate?.caFingerprint ?? null,
      certificateRef: this.#settings.certificate,
      error: this.#error,
    };
  }

  handlers(): Handlers<BridgeChannel> {
    return {
      'bridge.status': async (_request, ctx) => {
        this.#language = ctx.language;
        await this.#change;
        return this.status();
      },
      'bridge.settings.set': async (request, ctx) => {
        this.#language = ctx.language;
        const allowedOrigins = normalizeOrigins(request.allowedOrigins);
        // The machine policy's locks: the port in force, and no site beyond its preset ones.
        const effective = await loadEffectiveSettings(this.#options.home);
        const port = effective.settings.bridge.port;
        if (effective.lockOf('bridge.port') !== null) {
          assertChangeAllowed(effective, 'bridge.port', request.port, port, 'port');
        }
        const preset = new Set(normalizeOrigins(effective.settings.bridge.allowedOrigins));
        const added = allowedOrigins.filter((o) => !preset.has(o));
        assertChangeAllowed(effective, 'bridge.allowedOrigins', added, [], 'allowedOrigins');
        const settings: BridgeAppSettings = {
          enabled: request.enabled,
          port: request.port,
          allowedOrigins,
          certificate: request.certificate === undefined ? this.#settings.certificate : request.certificate,
        };
        await this.#serialise(async () => {
          await saveBridgeSettings(settings, this.#options.home);
          this.#settings = settings;
          await this.#restart();
        });
        return this.status();
      },
      'bridge.answer': async ({ requestId, accept, pin, allowFinalTry }, ctx) => {
        this.#language = ctx.language;
        const pending = this.#pending.get(requestId);
        if (!pending) throw new KysoError('BRIDGE_REQUEST_CLOSED', `request ${requestId} is not waiting`);
        if (accept) {
          this.#pin = {
            secret: pin === undefined || pin === null ? null : new Secret(pin),
            allowFinalTry: allowFinalTry ?? false,
          };
        }
        pending.answer(accept);
        return { accepted: accept };
      },
      'bridge.preview': async ({ requestId }, ctx) => {
        this.#language = ctx.language;
        const pending = this.#pending.get(requestId);
        if (!pending) throw new KysoError('BRIDGE_REQUEST_CLOSED', `request ${requestId} is not waiting`);
        pending.previewId ??= this.#options.documents.open(pending.file);
        const { size } = await stat(pending.file);
        return {
          documentId: pending.previewId,
          name: pending.view.fileName,
          size,
          pageCount: pending.view.pages,
        };
      },
    };
  }
}
