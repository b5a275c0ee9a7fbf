// signPdf: one PAdES signature as an incremental update. It reads the document lazily, prepares the
// field and placeholders (pdf), sizes /Contents from a dry-run CMS, hashes the byte ranges from the
// file in chunks, builds and signs the CMS (cms + the signer seam), and renames a complete file into
// place. The pdf and cms layers never meet except here.
import { KysoError, isKysoError } from '../../shared/errors.js';
import type { ProxySettings } from '../net/http-proxy.js';
import { buildSignedData, estimateSignedDataSize, type TimestampFunction } from '../cms/signed-data.js';
import { defaultScheme, type DigestAlgorithm, type SignatureScheme, type Signer } from '../cms/signer.js';
import type { TsaAuth, TsaEvent } from '../cms/timestamp-client.js';
import {
  PdfReader,
  byteRangeAround,
  patchByteRange,
  patchHexContents,
  type ByteRange,
} from '../pdf/index.js';
import { parseCertificate, type CertificateInfo } from '../x509/certificate-info.js';
import { digestRanges } from './byte-range-digest.js';
import { assertCertificateCanSign } from './certificate-checks.js';
import { readDocMdpPermission, type DocMdpPermission } from './docmdp.js';
import { assertReadableInput } from './input-file.js';
import { checkOutputPath, PendingOutput } from './output-file.js';
import { prepareSignature, type WidgetAppearance } from './signature-field.js';
// Timestamps, revocation and long-term levels (src/signing/cms/timestamp-client, src/signing/ltv)
// are loaded only when a signature asks for them: they bring pkijs, HTTP and TLS, which a B-B
// signature never needs and which would otherwise be most of `kyso sign`'s start-up time.
import type { SignerRevocationSummary, SigningRevocationPolicy } from '../ltv/signing-long-term.js';
import type { LongTermProgress, LongTermResult } from '../ltv/long-term.js';
import type * as SigningLongTermModule from '../ltv/signing-long-term.js';

type SigningLongTerm = typeof SigningLongTermModule;

export type SignatureLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
export type CertifyLevel = 'no-changes' | 'form-fill' | 'annotations';

export interface TsaOptions {
  readonly url: string;
  readonly auth?: TsaAuth;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly policyOid?: string;
  /** The settings' HTTP proxy (network.proxy). */
  readonly proxy?: ProxySettings;
}

/** What a visible signature needs to know to draw itself (issue: Decree 30 appearances). */
export interface AppearanceContext {
  readonly reader: PdfReader;
  readonly pageIndex: number;
  readonly certificate: CertificateInfo;
  readonly signingTime: Date;
}

export interface PdfSignOptions {
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** Sign into this existing empty signature field. */
  readonly fieldName?: string;
  /** 1-based; negative counts from the end (-1 is the last page). Default 1. */
  readonly page?: number;
  readonly level?: SignatureLevel;
  readonly tsa?: TsaOptions;
  /**
   * Gets the signature timestamp instead of asking `tsa` directly (a batch puts its limit on
   * concurrent TSA requests here); like `tsa`, it makes the signature B-T.
   */
  readonly timestamper?: TimestampFunction;
  readonly digest?: DigestAlgorithm;
  /** RSA-PSS instead of PKCS#1 v1.5 (RSA keys only). */
  readonly pss?: boolean;
  readonly certify?: CertifyLevel;
  /** Allow the reader to rebuild a broken cross-reference table (only for unsigned documents). */
  readonly repair?: boolean;
  readonly overwrite?: boolean;
  /** The claimed signing time (/M); now by default. */
  readonly signingTime?: Date;
  /** Bytes to allow for the timestamp token when sizing /Contents. */
  readonly timestampSizeHint?: number;
  readonly appearance?: (ctx: AppearanceContext) => Promise<WidgetAppearance>;
  /** OCSP/CRL behaviour: the check before signing, and the evidence of B-LT/B-LTA. */
  readonly revocation?: SigningRevocationPolicy;
}

export type SignProgress =
  | { readonly stage: 'reading' }
  | { readonly stage: 'preparing' }
  | { readonly stage: 'hashing' }
  | { readonly stage: 'signing' }
  | { readonly stage: 'timestamp'; readonly event: TsaEvent }
  | { readonly stage: 'writing' }
  | { readonly stage: 'revocation' }
  | { readonly stage: 'long-term'; readonly progress: LongTermProgress }
  | { readonly stage: 'done' };

export interface SignPdfRequest {
  readonly input: string;
  readonly output: string;
  readonly signer: Signer;
  readonly options?: PdfSignOptions;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SignProgress) => void;
}

export interface SignPdfResult {
  readonly output: string;
  readonly fieldName: string;
  readonly signingTime: Date;
  readonly level: SignatureLevel;
  readonly byteRange: ByteRange;
  readonly digest: DigestAlgorithm;
  readonly scheme: SignatureScheme;
  /** Bytes reserved for the CMS, and what it took. */
  readonly reservedBytes: number;
  readonly cmsBytes: number;
  readonly signer: {
    readonly subjectCN: string | undefined;
    readonly subjectDN: string;
    readonly serialHex: string;
  };
  /** The signer's revocation status before signing (unknown: signed without it, as the policy allows). */
  readonly revocation?: SignerRevocationSummary;
  /** B-LT/B-LTA: the validation data and timestamps added, and what could not be fetched. */
  readonly longTerm?: LongTermResult;
}

const CERTIFY: Readonly<Record<CertifyLevel, DocMdpPermission>> = {
  'no-changes': 1,
  'form-fill': 2,
  annotations: 3,
};

const NOT_CHECKED: SignerRevocationSummary = { status: 'not-checked', source: null, problems: [] };

/** Extra room over the dry run: DER lengths of a real signature and token can differ by a few bytes. */
const CONTENTS_SLACK = 64;

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KysoError('CANCELLED', 'Signing was cancelled.');
}

/** Opens the input; with `repair`, rebuilds a broken table only when the document carries no signature. */
async function openInput(input: string, repair: boolean): Promise<PdfReader> {
  try {
    return await PdfReader.open(input);
  } catch (err) {
    if (!repair || !isKysoError(err) || err.code !== 'PDF_XREF_BROKEN') throw err;
  }
  const reader = await PdfReader.open(input, { repair: true });
  const signed = (await reader.fields()).some(
    (f) => f.fieldType === 'Sig' && f.dict.get('V') instanceof Object,
  );
  if (signed) {
    await reader.close();
    throw new KysoError(
      'PDF_REPAIR_SIGNED',
      'A signed document cannot be repaired without breaking its signatures.',
    );
  }
  return reader;
}

export async function signPdf(request: SignPdfRequest): Promise<SignPdfResult> {
  const { input, output, signer, signal } = request;
  const options = request.options ?? {};
  const progress = request.onProgress ?? (() => undefined);
  const level: SignatureLevel = options.level ?? (options.tsa || options.timestamper ? 'B-T' : 'B-B');
  if (level !== 'B-B' && !options.tsa && !options.timestamper) {
    throw new KysoError('USAGE', `A ${level} signature needs a timestamp server (--tsa URL).`, {
      details: { reason: `${level} needs --tsa` },
    });
  }
  const digest = options.digest ?? 'sha256';
  const scheme: SignatureScheme = options.pss ? 'rsa-pss' : defaultScheme(signer.keyAlgorithm, false);
  if (options.pss && signer.keyAlgorithm.kind !== 'rsa') {
    throw new KysoError('PKCS11_MECHANISM_NOT_SUPPORTED', 'RSA-PSS needs an RSA key.', {
      details: { scheme, digest },
    });
  }
  if (!signer.schemes.includes(scheme)) {
    throw new KysoError('PKCS11_MECHANISM_NOT_SUPPORTED', `The key cannot sign with ${scheme}.`, {
      details: { scheme, digest },
    });
  }

  progress({ stage: 'reading' });
  await assertReadableInput(input);
  await checkOutputPath(input, output, options.overwrite ?? false);
  const certificate = parseCertificate(signer.certificate);
  const signingTime = options.signingTime ?? new Date();
  assertCertificateCanSign(certificate, signingTime);
  progress({ stage: 'revocation' });
  const longTermLevel = level === 'B-LT' || level === 'B-LTA';
  const checkBefore = options.revocation?.checkBeforeSigning ?? 'long-term';
  const ltv: SigningLongTerm | undefined =
    longTermLevel || checkBefore === 'always' || options.tsa
      ? await import('../ltv/signing-long-term.js')
      : undefined;
  const revocationCheck = ltv
    ? await ltv.checkRevocationBeforeSigning(signer, level, options.revocation, signal)
    : { client: undefined, summary: NOT_CHECKED };

  const reader = await openInput(input, options.repair ?? false);
  try {
    if (reader.isEncrypted) {
      throw new KysoError('PDF_ENCRYPTED', 'The PDF is encrypted; remove the password before signing.');
    }
    const permission = await readDocMdpPermission(reader);
    if (permission === 1) {
      throw new KysoError('PDF_CERTIFIED_NO_CHANGES', 'The document is certified with "no changes allowed".');
    }
    if (options.certify && permission !== null) {
      throw new KysoError(
        'PDF_CERTIFIED_NO_CHANGES',
        'The document is already certified; it cannot be certified again.',
        {
          details: { reason: 'already-certified' },
        },
      );
    }
    const pages = await reader.pageCount();
    const page = options.page ?? 1;
    const pageIndex = page > 0 ? page - 1 : pages + page;
    if (!Number.isInteger(page) || page === 0 || pageIndex < 0 || pageIndex >= pages) {
      throw new KysoError(
        'PDF_PAGE_OUT_OF_RANGE',
        `The document has ${pages} pages; there is no page ${page}.`,
        {
          details: { page, pages },
        },
      );
    }
    checkAborted(signal);

    progress({ stage: 'preparing' });
    const appearance = options.appearance
      ? await options.appearance({ reader, pageIndex, certificate, signingTime })
      : undefined;
    const timestampSizeHint =
      level === 'B-B'
        ? undefined
        : (options.timestampSizeHint ??
          (options.tsa && ltv
            ? await ltv.signatureTimestampSizeHint(options.tsa, digest, level, signal)
            : undefined));
    const estimate = await estimateSignedDataSize({
      signer,
      digest,
      scheme,
      ...(level !== 'B-B' ? { timestampSizeHint: timestampSizeHint ?? 8192 } : {}),
    });
    let reserved = estimate + CONTENTS_SLACK;
    const timestamp =
      options.timestamper ??
      (options.tsa
        ? (await import('../cms/timestamp-client.js')).tsaTimestamper({
            ...options.tsa,
            digest,
            ...(signal ? { signal } : {}),
            onEvent: (event) => progress({ stage: 'timestamp', event }),
          })
        : undefined);

    const pending = await PendingOutput.fromCopy(input, output);
    try {
      for (let attempt = 0; ; attempt++) {
        checkAborted(signal);
        const prepared = await prepareSignature(reader, {
          pageIndex,
          contentsBytes: reserved,
          subFilter: 'ETSI.CAdES.detached',
          signingTime,
          signerName: certificate.subjectCN ?? certificate.subjectDN,
          ...(options.fieldName !== undefined ? { fieldName: options.fieldName } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
          ...(options.location ? { location: options.location } : {}),
          ...(options.contactInfo ? { contactInfo: options.contactInfo } : {}),
          ...(options.certify ? { certify: CERTIFY[options.certify] } : {}),
          ...(appearance ? { appearance } : {}),
        });
        const update = prepared.update.serialize();
        const base = reader.size;
        await pending.truncate(base);
        await pending.append(update.bytes);
        const total = base + update.bytes.length;
        const contents = update.placeholders.find((p) => p.kind === 'hex');
        const byteRangeSlot = update.placeholders.find((p) => p.kind === 'byteRange');
        if (!contents || !byteRangeSlot)
          throw new KysoError('INTERNAL', 'The signature placeholders are missing.');
        const byteRange = byteRangeAround({ offset: base + contents.offset, length: contents.length }, total);
        await pending.writeAt(base + byteRangeSlot.offset, patchByteRange(byteRangeSlot, byteRange));

        progress({ stage: 'hashing' });
        const contentDigest = await digestRanges(
          pending.handle,
          [
            [byteRange[0], byteRange[1]],
            [byteRange[2], byteRange[3]],
          ],
          digest,
          signal,
        );
        progress({ stage: 'signing' });
        const cms = await buildSignedData({
          signer,
          contentDigest,
          digest,
          scheme,
          ...(timestamp ? { timestamp } : {}),
          ...(signal ? { signal } : {}),
        });
        if (cms.length > reserved) {
          // The dry run guessed short (an unusually large timestamp token): once more, at the exact size.
          if (attempt === 0) {
            reserved = cms.length;
            continue;
          }
          throw new KysoError(
            'SIGNATURE_TOO_LARGE',
            'The signature does not fit the space reserved for it.',
            {
              details: { size: cms.length, capacity: reserved },
            },
          );
        }
        progress({ stage: 'writing' });
        await pending.writeAt(base + contents.offset, patchHexContents(contents, cms));
        if (options.tsa && ltv) await ltv.rememberSignatureTimestamp(options.tsa.url, cms);
        let longTerm: { result: LongTermResult; level: SignatureLevel } | undefined;
        if (longTermLevel && ltv && revocationCheck.client !== undefined) {
          longTerm = await ltv.appendLongTermAfterSigning(pending, {
            level,
            client: revocationCheck.client,
            tsa: options.tsa,
            digest,
            policy: options.revocation,
            fieldName: prepared.fieldName,
            signal,
            onProgress: (p) => progress({ stage: 'long-term', progress: p }),
          });
        }
        checkAborted(signal);
        await pending.commit();
        progress({ stage: 'done' });
        return {
          output: pending.target,
          fieldName: prepared.fieldName,
          signingTime,
          level: longTerm?.level ?? level,
          revocation: revocationCheck.summary,
          ...(longTerm ? { longTerm: longTerm.result } : {}),
          byteRange,
          digest,
          scheme,
          reservedBytes: reserved,
          cmsBytes: cms.length,
          signer: {
            subjectCN: certificate.subjectCN,
            subjectDN: certificate.subjectDN,
            serialHex: certificate.serialHex,
          },
        };
      }
    } catch (err) {
      await pending.discard();
      throw err;
    }
  } finally {
    await reader.close();
  }
}
