// sign.run: the chairman's (or the clerk's) signature on an open document, with a token key. Every
// input is checked before the PIN is used (page, box, template, seal rule); the PIN becomes a Secret
// at once and is used only for C_Login; the output is re-read by our verifier before answering.
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import type { ParsedRequestOf, SignRunProgress, SignRunResult } from '../../shared/contract/index.js';
import { loadSettings, type Settings } from '../../signing/settings.js';
import {
  signPdf,
  signingRevocationPolicyFromSettings,
  type PdfSignOptions,
  type SignProgress,
} from '../../signing/sign-api.js';
import { readCertificateFiles } from '../../signing/certificates-api.js';
import { loadTrustStore, verifyPdf } from '../../signing/verify-api.js';
import type { DocumentTable } from './document-table.js';
import type { Handlers, ServiceContext } from './service-types.js';
import { openModule } from './token-access.js';

function progressOf(p: SignProgress): SignRunProgress {
  if (p.stage === 'timestamp') {
    return p.event.kind === 'tsa-waiting'
      ? { stage: 'timestamp', attempt: p.event.attempt }
      : { stage: 'timestamp', retryInMs: p.event.delayMs };
  }
  return { stage: p.stage };
}

/** The settings' TSA makes the signature B-T; without one it is B-B (as `kyso sign` without --tsa). */
function signOptions(settings: Settings, request: ParsedRequestOf<'sign.run'>): PdfSignOptions {
  const url = settings.tsa.url;
  const proxy = settings.network.proxy;
  return {
    digest: 'sha256',
    level: url ? 'B-T' : 'B-B',
    overwrite: request.overwrite,
    ...(request.reason !== undefined && request.reason !== '' ? { reason: request.reason } : {}),
    ...(request.location !== undefined && request.location !== '' ? { location: request.location } : {}),
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

/** The visible signature: checked against the document before the token is touched. */
async function withAppearance(
  input: string,
  request: ParsedRequestOf<'sign.run'>,
  options: PdfSignOptions,
  ctx: ServiceContext<'sign.run'>,
): Promise<PdfSignOptions> {
  if (request.template === 'invisible') return { ...options, page: request.page };
  const { loadAppearanceSettings, prepareAppearance } = await import('../../signing/appearance-api.js');
  let existingSignatures;
  if (request.template === 'seal') {
    // Decree 30 art. 32: the seal goes only on what a competent person validly signed.
    const report = await verifyPdf({
      input,
      trust: await loadTrustStore(),
      lang: ctx.language,
      signal: ctx.signal,
    });
    existingSignatures = report.signatures
      .filter((s) => s.type === 'signature')
      .map((s) => ({ fieldName: s.field, valid: s.status === 'valid' }));
  }
  const prepared = await prepareAppearance(
    input,
    {
      template: request.template,
      settings: await loadAppearanceSettings(),
      ...(request.rect ? { rect: request.rect } : {}),
      ...(request.docNumber !== undefined ? { docNumber: request.docNumber } : {}),
      ...(request.agency !== undefined ? { organization: request.agency } : {}),
      ...(existingSignatures ? { existingSignatures } : {}),
    },
    request.page,
  );
  return { ...options, page: prepared.page, appearance: prepared.appearance };
}

export async function runSign(
  documents: DocumentTable,
  request: ParsedRequestOf<'sign.run'>,
  ctx: ServiceContext<'sign.run'>,
): Promise<SignRunResult> {
  const input = documents.pathOf(request.documentId);
  const output = path.resolve(request.output);
  ctx.progress({ stage: 'preparing' });
  const settings = await loadSettings();
  let options = signOptions(settings, request);
  options = await withAppearance(input, request, options, ctx);
  const intermediates = await readCertificateFiles(settings.intermediates);
  options = { ...options, revocation: signingRevocationPolicyFromSettings(settings, intermediates) };
  const manager = await openModule(request.certificate.modulePath, settings);
  try {
    // A PIN pad takes the PIN on the device; the engine asks getPin only for tokens without one.
    const pin = request.pin === null ? null : new Secret(request.pin);
    const signer = await manager.openSigner(
      {
        token: request.certificate.tokenSerial,
        slot: request.certificate.slotId,
        keyId: request.certificate.keyId,
      },
      {
        getPin: async () => {
          if (pin === null) throw new KysoError('PIN_NOT_PROVIDED', 'no PIN for a token without a PIN pad');
          return pin;
        },
        allowFinalTry: request.allowFinalTry,
        intermediates,
      },
    );
    let result;
    try {
      result = await signPdf({
        input,
        output,
        signer,
        options,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(progressOf(p)),
      });
    } finally {
      signer.session.close();
    }
    ctx.progress({ stage: 'verifying' });
    const report = await verifyPdf({
      input: result.output,
      trust: await loadTrustStore(),
      lang: ctx.language,
    });
    ctx.progress({ stage: 'done' });
    return {
      output: result.output,
      fieldName: result.fieldName,
      level: result.level,
      signingTime: result.signingTime.toISOString(),
      verification: {
        status: report.status,
        signatures: report.signatures.map((s) => ({
          signer: s.signer.name ?? s.signer.dn,
          status: s.status,
          signingTime: s.signingTime,
        })),
      },
    };
  } finally {
    // Unloading the library (C_Finalize: ~50 ms with SoftHSM) waits until the answer is sent: the
    // session, and with it the login, is closed already, and the output was verified above.
    setImmediate(() => manager.close());
  }
}

export function signHandlers(documents: DocumentTable): Handlers<'sign.run'> {
  return { 'sign.run': (request, ctx) => runSign(documents, request, ctx) };
}
