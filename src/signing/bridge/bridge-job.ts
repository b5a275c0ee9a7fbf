// One request of a web system, from its JSON to its reply: resolve the file and upload URLs against
// the allowed hosts, wait for the signing turn, download, show the user what will be signed and wait
// for a yes, sign (Decree 30 template of the endpoint), send the signed file to FileUploadHandler,
// and keep it on this machine when the system does not take it. Nothing is signed without a yes;
// nothing is sent anywhere but the allowed hosts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { KysoError, isKysoError } from '../../shared/errors.js';
import { messageFor, type Lang } from '../../shared/messages.js';
import type { Secret } from '../../shared/secret.js';
import {
  loadAppearanceSettings,
  prepareAppearance,
  type AppearanceRequest,
  type AppearanceSettings,
} from '../appearance/index.js';
import { PdfReader } from '../pdf/index.js';
import { signPdf, type PdfSignOptions } from '../sign/sign-pdf.js';
import { verifyPdf, type TrustStore } from '../verify/index.js';
import { parseCertificate, type CertificateInfo } from '../x509/certificate-info.js';
import type { BridgeIdentity } from './bridge-identity.js';
import {
  parseBridgeRequest,
  SIGNING_ENDPOINTS,
  type BridgeEndpoint,
  type BridgeRequest,
} from './bridge-request.js';
import { BRIDGE_STATUS, statusForError, type BridgeStatus } from './bridge-status.js';
import type { OriginAllowList } from './origin-allow-list.js';
import { issuedAppearance, withIssuedDate } from '../appearance/issued-appearance.js';
import { downloadPdf } from './pdf-download.js';
import { uploadSigned } from './signed-upload.js';
import type { SigningQueue } from './signing-queue.js';
import { keepUndelivered, type UndeliveredNote } from './undelivered-files.js';

/** The protocol's reply; VerifyPDF and GetCertInfo add a member of their own. */
export interface BridgeReply {
  readonly Status: BridgeStatus;
  readonly Message: string;
  readonly FileName: string;
  readonly FileServer: string;
  readonly DocumentNumber: string;
  readonly DocumentDate: string;
  readonly Signatures?: readonly {
    readonly Signer: string;
    readonly Status: string;
    readonly SigningTime: string | null;
    readonly Reason: string;
  }[];
  readonly CertInfo?: {
    readonly Subject: string;
    readonly Issuer: string;
    readonly SerialNumber: string;
    readonly NotBefore: string;
    readonly NotAfter: string;
    readonly Base64: string;
  };
}

/** What the user is asked to agree to: shown by the CLI prompt or the app's dialog. */
export interface ConfirmationRequest {
  readonly id: number;
  readonly endpoint: BridgeEndpoint;
  /** The requesting site (its Origin). */
  readonly origin: string;
  readonly fileName: string;
  readonly fileUrl: string;
  /** The downloaded document, to preview (removed after the request). */
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
  readonly template: AppearanceRequest['template'];
  readonly docNumber: string | undefined;
  readonly issuedDate: string | undefined;
  /** Where the signed file will be sent. */
  readonly uploadTo: string;
  readonly certificate: {
    readonly subject: string;
    readonly issuer: string;
    readonly serialHex: string;
    readonly notAfter: Date;
  };
}

/** Asks the user; resolves true only for an explicit yes. */
export type ConfirmFunction = (request: ConfirmationRequest, signal: AbortSignal) => Promise<boolean>;

/** Where a file the web system did not take goes: the delivery outbox, when one is plugged in. */
export type UndeliveredHandler = (
  file: string,
  note: UndeliveredNote,
  jwt: Secret | undefined,
) => Promise<string>;

export type BridgeEvent =
  | {
      readonly kind: 'request';
      readonly id: number;
      readonly endpoint: BridgeEndpoint;
      readonly origin: string;
    }
  | { readonly kind: 'queued'; readonly id: number; readonly ahead: number }
  | { readonly kind: 'signed'; readonly id: number; readonly fileName: string }
  | {
      readonly kind: 'delivered';
      readonly id: number;
      readonly fileName: string;
      readonly fileServer: string;
    }
  | { readonly kind: 'kept'; readonly id: number; readonly path: string }
  | { readonly kind: 'failed'; readonly id: number; readonly status: BridgeStatus; readonly code: string }
  | {
      readonly kind: 'refused';
      readonly reason: 'host' | 'origin' | 'path' | 'rate';
      readonly origin?: string | undefined;
      readonly host?: string | undefined;
    };

/** The appearance and signature options of the bridge's signatures. */
export interface BridgeSigningProfile {
  /** Level, digest, TSA, reason, revocation policy… (no page or appearance: the endpoint decides). */
  readonly options?: PdfSignOptions;
  /** The competent person's signature image (else the one stored for the certificate, else none). */
  readonly signatureImage?: string;
  /** The agency seal image (else the one stored for the certificate). */
  readonly sealImage?: string;
  /** The agency name of the text blocks, instead of the certificate's organisation. */
  readonly organization?: string;
  /** SignIssued: the text block with number and date (default), or the agency seal. */
  readonly issuedTemplate?: 'text' | 'seal';
  readonly appearanceSettings?: AppearanceSettings;
}

export interface BridgeJobContext {
  readonly home: string;
  readonly allowList: OriginAllowList;
  readonly identity: BridgeIdentity;
  readonly confirm: ConfirmFunction;
  readonly profile: BridgeSigningProfile;
  readonly queue: SigningQueue;
  readonly maxFileBytes: number;
  readonly downloadTimeoutMs: number;
  readonly uploadTimeoutMs: number;
  /** How long the user may take to answer; then the request is declined. */
  readonly confirmTimeoutMs: number;
  readonly uploadField: string;
  readonly lang: Lang;
  readonly trustStore: () => Promise<TrustStore>;
  readonly undelivered?: UndeliveredHandler;
  readonly onEvent: (event: BridgeEvent) => void;
  readonly signal: AbortSignal;
}

const EMPTY = { FileName: '', FileServer: '', DocumentNumber: '', DocumentDate: '' } as const;

/**
 * The reply of a failure. The message goes to a web page: paths on this computer (which name the
 * user's folders) are cut to their file names.
 */
function failure(err: unknown, lang: Lang, request?: BridgeRequest): BridgeReply {
  const kysoError = isKysoError(err) ? err : new KysoError('INTERNAL', 'unexpected', { cause: err });
  const details = Object.fromEntries(
    Object.entries(kysoError.details).map(([k, v]) => [
      k,
      typeof v === 'string' && path.isAbsolute(v) ? path.basename(v) : v,
    ]),
  );
  return {
    ...EMPTY,
    DocumentNumber: request?.docNumber ?? '',
    DocumentDate: request?.issuedDate ?? '',
    Status: statusForError(kysoError.code),
    Message: messageFor(kysoError.code, details, lang),
  };
}

/** The last segment of the URL's path, decoded, as a plain file name. */
export function displayFileName(url: URL): string {
  let last = url.pathname.split('/').pop() ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // keep it encoded
  }
  const clean = last
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .trim()
    .slice(0, 150);
  if (clean === '' || clean === '.' || clean === '..') return 'document.pdf';
  return /\.pdf$/i.test(clean) ? clean : `${clean}.pdf`;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) {
    const reason = `${name} is missing`;
    throw new KysoError('BRIDGE_REQUEST_INVALID', reason, { details: { reason } });
  }
  return value;
}

function certificateSummary(info: CertificateInfo): ConfirmationRequest['certificate'] {
  return {
    subject: info.subjectCN ?? info.subjectDN,
    issuer: info.issuerDN,
    serialHex: info.serialHex,
    notAfter: info.notAfter,
  };
}

let nextId = 0;

export async function handleBridgeMessage(
  endpoint: BridgeEndpoint,
  origin: string,
  message: string,
  ctx: BridgeJobContext,
  /** Aborts when the page's connection closes: a request nobody waits for is not shown to the user. */
  connection?: AbortSignal,
): Promise<BridgeReply> {
  const id = ++nextId;
  ctx.onEvent({ kind: 'request', id, endpoint, origin });
  let request: BridgeRequest | undefined;
  try {
    request = parseBridgeRequest(message);
    const reply = await run(id, endpoint, origin, request, ctx, connection);
    return reply;
  } catch (err) {
    const reply = failure(err, ctx.lang, request);
    ctx.onEvent({ kind: 'failed', id, status: reply.Status, code: isKysoError(err) ? err.code : 'INTERNAL' });
    return reply;
  }
}

async function run(
  id: number,
  endpoint: BridgeEndpoint,
  origin: string,
  request: BridgeRequest,
  ctx: BridgeJobContext,
  connection: AbortSignal | undefined,
): Promise<BridgeReply> {
  if (endpoint === 'GetCertInfo') return certInfo(ctx);
  const fileUrl = ctx.allowList.resolve(required(request.fileName, 'FileName'), origin);
  if (endpoint === 'VerifyPDF') return await withWorkFolder(ctx, (dir) => verify(fileUrl, dir, ctx));
  if (!SIGNING_ENDPOINTS.includes(endpoint)) throw new KysoError('INTERNAL', `endpoint ${endpoint}`);
  const uploadUrl = ctx.allowList.resolve(required(request.fileUploadHandler, 'FileUploadHandler'), origin);
  if (endpoint === 'SignIssued') required(request.docNumber, 'DocNumber');
  return await ctx.queue.run(
    () =>
      withWorkFolder(ctx, (dir) =>
        sign(id, endpoint, origin, request, fileUrl, uploadUrl, dir, ctx, connection),
      ),
    (ahead) => ctx.onEvent({ kind: 'queued', id, ahead }),
  );
}

async function withWorkFolder<T>(ctx: BridgeJobContext, work: (dir: string) => Promise<T>): Promise<T> {
  const parent = path.join(ctx.home, 'bridge', 'work');
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(parent, 'job-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function certInfo(ctx: BridgeJobContext): Promise<BridgeReply> {
  const der = await ctx.identity.certificate(ctx.signal);
  const info = parseCertificate(der);
  return {
    ...EMPTY,
    Status: BRIDGE_STATUS.OK,
    Message: info.subjectCN ?? info.subjectDN,
    CertInfo: {
      Subject: info.subjectDN,
      Issuer: info.issuerDN,
      SerialNumber: info.serialHex,
      NotBefore: info.notBefore.toISOString(),
      NotAfter: info.notAfter.toISOString(),
      Base64: Buffer.from(der).toString('base64'),
    },
  };
}

async function download(
  url: URL,
  dir: string,
  ctx: BridgeJobContext,
): Promise<{ file: string; bytes: number; pages: number }> {
  const file = path.join(dir, 'input.pdf');
  const bytes = await downloadPdf(url, file, {
    maxBytes: ctx.maxFileBytes,
    timeoutMs: ctx.downloadTimeoutMs,
    signal: ctx.signal,
  });
  const reader = await PdfReader.open(file);
  try {
    if (reader.isEncrypted) {
      throw new KysoError('PDF_ENCRYPTED', 'The PDF is encrypted.', {
        details: { path: displayFileName(url) },
      });
    }
    return { file, bytes, pages: await reader.pageCount() };
  } finally {
    await reader.close();
  }
}

async function verify(url: URL, dir: string, ctx: BridgeJobContext): Promise<BridgeReply> {
  const { file } = await download(url, dir, ctx);
  const report = await verifyPdf({ input: file, trust: await ctx.trustStore(), lang: ctx.lang });
  const valid = report.status === 'valid';
  const vi = ctx.lang === 'vi';
  return {
    ...EMPTY,
    FileName: displayFileName(url),
    Status: valid ? BRIDGE_STATUS.OK : BRIDGE_STATUS.NOT_VALID,
    Message: valid
      ? vi
        ? `Tất cả ${report.signatures.length} chữ ký hợp lệ.`
        : `All ${report.signatures.length} signatures are valid.`
      : report.status === 'unsigned'
        ? vi
          ? 'Văn bản không có chữ ký số.'
          : 'The document carries no signature.'
        : vi
          ? 'Có chữ ký không hợp lệ hoặc chưa xác định được.'
          : 'Some signatures are not valid or could not be determined.',
    Signatures: report.signatures.map((s) => ({
      Signer: s.signer.name ?? s.signer.dn ?? '',
      Status: s.status,
      SigningTime: s.signingTime,
      Reason: s.reason,
    })),
  };
}

/** The Decree 30 appearance of each signing endpoint. */
async function appearanceOf(
  endpoint: BridgeEndpoint,
  request: BridgeRequest,
  input: string,
  ctx: BridgeJobContext,
): Promise<AppearanceRequest> {
  const profile = ctx.profile;
  const settings = profile.appearanceSettings ?? (await loadAppearanceSettings());
  const organization = profile.organization !== undefined ? { organization: profile.organization } : {};
  switch (endpoint) {
    case 'SignApproved':
      return {
        template: 'personal',
        settings,
        ...(profile.signatureImage !== undefined ? { image: profile.signatureImage } : {}),
      };
    case 'SignIssued':
    case 'SignAppendix': {
      if (endpoint === 'SignIssued' && profile.issuedTemplate === 'seal') {
        // Decree 30 art. 32: the seal goes only on what a competent person validly signed.
        const report = await verifyPdf({ input, trust: await ctx.trustStore(), lang: ctx.lang });
        // The number and date are written on the page too, under the seal, in the same signature.
        return issuedAppearance({
          template: 'seal',
          settings,
          docNumber: request.docNumber ?? '',
          issuedDate: request.issuedDate,
          existingSignatures: report.signatures
            .filter((s) => s.type === 'signature')
            .map((s) => ({ fieldName: s.field, valid: s.status === 'valid' })),
          sealImage: profile.sealImage,
        });
      }
      // The text block at the top right of page 1: agency, "Số:", the issue date, the signing time.
      if (request.docNumber === undefined) {
        return { template: 'text', settings: withIssuedDate(settings, request.issuedDate), ...organization };
      }
      return issuedAppearance({
        template: 'text',
        settings,
        docNumber: request.docNumber,
        issuedDate: request.issuedDate,
        organization: profile.organization,
      });
    }
    case 'SignCopy': {
      const book = request.metaData.get('CertBook') ?? request.metaData.get('SoQuyen');
      return {
        template: 'certified-copy',
        settings,
        ...organization,
        certification: {
          ...(request.docNumber !== undefined ? { number: request.docNumber } : {}),
          ...(book !== undefined ? { book } : {}),
        },
      };
    }
    case 'VerifyPDF':
    case 'GetCertInfo':
      throw new KysoError('INTERNAL', `${endpoint} does not sign`);
  }
}

async function sign(
  id: number,
  endpoint: BridgeEndpoint,
  origin: string,
  request: BridgeRequest,
  fileUrl: URL,
  uploadUrl: URL,
  dir: string,
  ctx: BridgeJobContext,
  connection: AbortSignal | undefined,
): Promise<BridgeReply> {
  // Until the user agrees, the page leaving (or the bridge stopping) cancels the request; once the
  // user agreed, the document is signed and delivered (or kept) whatever the page does.
  const before = connection ? AbortSignal.any([ctx.signal, connection]) : ctx.signal;
  const cancelled = (): KysoError => new KysoError('CANCELLED', 'The page left or the bridge stopped.');
  if (before.aborted) throw cancelled();
  const fileName = displayFileName(fileUrl);
  const { file, bytes, pages } = await download(fileUrl, dir, { ...ctx, signal: before });
  const certificate = parseCertificate(await ctx.identity.certificate(ctx.signal));
  // The template, page, box, font and seal rule are checked before the user is asked.
  const appearanceRequest = await appearanceOf(endpoint, request, file, ctx);
  const prepared = await prepareAppearance(file, appearanceRequest);
  // No answer in time is a no: the queue must not wait forever behind an unattended question.
  const asking = AbortSignal.any([before, AbortSignal.timeout(ctx.confirmTimeoutMs)]);
  const unanswered = new Promise<false>((resolve) =>
    asking.addEventListener('abort', () => resolve(false), { once: true }),
  );
  const answer = ctx
    .confirm(
      {
        id,
        endpoint,
        origin,
        fileName,
        fileUrl: fileUrl.href,
        file,
        bytes,
        pages,
        template: appearanceRequest.template,
        docNumber: request.docNumber,
        issuedDate: request.issuedDate,
        uploadTo: uploadUrl.origin,
        certificate: certificateSummary(certificate),
      },
      asking,
    )
    .catch(() => false);
  const agreed = await Promise.race([answer, unanswered]);
  if (before.aborted) throw cancelled();
  if (agreed !== true) throw new KysoError('BRIDGE_DECLINED', 'The user declined.');

  const signedName = `${fileName.replace(/\.pdf$/i, '')}_signed.pdf`;
  const output = path.join(dir, 'signed.pdf');
  const acquired = await ctx.identity.acquire(ctx.signal);
  try {
    // The user agreed to this certificate: a different one (another token plugged in) is refused.
    if (Buffer.compare(Buffer.from(acquired.signer.certificate), Buffer.from(certificate.der)) !== 0) {
      throw new KysoError('PKCS11_KEY_NOT_FOUND', 'The signer changed after the confirmation.');
    }
    const base = ctx.profile.options ?? {};
    const reason =
      base.reason ??
      (endpoint === 'SignIssued' && request.docNumber !== undefined
        ? `Ban hành văn bản số ${request.docNumber}${request.issuedDate ? ` ngày ${request.issuedDate}` : ''}`
        : undefined);
    await signPdf({
      input: file,
      output,
      signer: acquired.signer,
      signal: ctx.signal,
      options: {
        ...base,
        ...(reason !== undefined ? { reason } : {}),
        page: prepared.page,
        appearance: prepared.appearance,
      },
    });
  } finally {
    acquired.release();
  }
  ctx.onEvent({ kind: 'signed', id, fileName: signedName });

  const reply = {
    DocumentNumber: request.docNumber ?? '',
    DocumentDate: request.issuedDate ?? '',
  };
  try {
    const uploaded = await uploadSigned({
      url: uploadUrl,
      file: output,
      fileName: signedName,
      field: ctx.uploadField,
      jwt: request.jwt,
      fields: {
        ...(request.sessionId !== undefined ? { SessionId: request.sessionId } : {}),
        ...(request.docNumber !== undefined ? { DocNumber: request.docNumber } : {}),
        ...(request.issuedDate !== undefined ? { IssuedDate: request.issuedDate } : {}),
      },
      timeoutMs: ctx.uploadTimeoutMs,
      signal: ctx.signal,
    });
    ctx.onEvent({ kind: 'delivered', id, fileName: uploaded.fileName, fileServer: uploaded.fileServer });
    return {
      ...reply,
      Status: BRIDGE_STATUS.OK,
      Message: ctx.lang === 'vi' ? 'Đã ký và gửi văn bản.' : 'Signed and sent.',
      FileName: uploaded.fileName,
      FileServer: uploaded.fileServer,
    };
  } catch (err) {
    if (!isKysoError(err) || err.code !== 'BRIDGE_UPLOAD_FAILED') throw err;
    const reason = String(err.details['reason'] ?? err.message);
    const note: UndeliveredNote = {
      endpoint,
      origin,
      uploadUrl: uploadUrl.href,
      sessionId: request.sessionId,
      fileName: signedName,
      docNumber: request.docNumber,
      issuedDate: request.issuedDate,
      reason,
    };
    const kept = ctx.undelivered
      ? await ctx.undelivered(output, note, request.jwt)
      : await keepUndelivered(ctx.home, output, note);
    ctx.onEvent({ kind: 'kept', id, path: kept });
    const failed = new KysoError('BRIDGE_UPLOAD_FAILED', reason, { details: { reason, path: kept } });
    return { ...failure(failed, ctx.lang, request), FileName: signedName };
  }
}
