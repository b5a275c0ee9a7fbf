// Putting a signed result into the outbox: the dossier code is checked, the file is copied into the
// outbox (flushed and renamed: the copy is whole or absent) and that copy is verified and hashed, so
// what is checked is exactly what will be sent. Broken signatures (byte range, integrity, the
// cryptographic signature, a disallowed change after signing) and unsigned files are refused unless
// the caller overrides; an untrusted chain or an unchecked revocation status is only a warning.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { PdfReader } from '../pdf/index.js';
import { loadTrustStore, verifyPdf, type TrustStore, type VerificationReport } from '../verify-api.js';
import { parseDossierCode } from './dossier-code.js';
import { idempotencyKey } from './idempotency-key.js';
import type { Outbox, OutboxItem } from './outbox.js';
import type { UploadDestination } from './upload-types.js';

export interface QueueDocumentRequest {
  readonly outbox: Outbox;
  readonly file: string;
  readonly dossierCode: string;
  readonly destination: UploadDestination;
  readonly documentNumber?: string;
  readonly documentType?: string;
  /** Keep only the path and SHA-256 (the file must not be copied); default: copy into the outbox. */
  readonly copy?: boolean;
  /** Queue even a file whose signatures are broken, or that is unsigned. */
  readonly allowBrokenSignatures?: boolean;
  /** Trust anchors for the warning about the chain (default: the data folder's trust store). */
  readonly trust?: TrustStore;
  readonly signal?: AbortSignal;
  /** Language of the verification warnings kept with the item (default Vietnamese). */
  readonly lang?: 'vi' | 'en';
}

export interface QueueDocumentResult {
  readonly item: OutboxItem;
  /** The same document was already in the outbox for this destination: nothing new was queued. */
  readonly existing: boolean;
  readonly warnings: readonly string[];
}

/** Checks that make a signature broken rather than merely unproven. */
const BREAKING_CHECKS = new Set(['byte-range', 'integrity', 'signature', 'modifications']);

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

interface Judgement {
  readonly warnings: string[];
  readonly broken: string | undefined;
  readonly unsigned: boolean;
  readonly signer: { name: string | null; organization: string | null; time: string | null } | undefined;
}

function judge(report: VerificationReport): Judgement {
  const warnings: string[] = [];
  let broken: string | undefined;
  for (const sig of report.signatures) {
    const failedChecks = sig.checks.filter((c) => c.result === 'failed' && BREAKING_CHECKS.has(c.id));
    if (failedChecks.length > 0) {
      broken ??= `#${sig.index} ${failedChecks.map((c) => c.id).join(', ')}: ${sig.reason}`;
    } else if (sig.status !== 'valid') {
      warnings.push(`#${sig.index} ${sig.status}: ${sig.reason}`);
    }
  }
  for (const w of report.warnings) if (!warnings.includes(w)) warnings.push(w);
  // The signer of a result: its last signature proper (a document timestamp signs nothing for a person).
  const last = [...report.signatures].reverse().find((s) => s.type === 'signature');
  return {
    warnings,
    broken,
    unsigned: report.status === 'unsigned' || report.signatures.every((s) => s.type !== 'signature'),
    signer: last
      ? {
          name: last.signer.name ?? null,
          organization: last.signer.organization ?? null,
          time: last.signingTime,
        }
      : undefined,
  };
}

/** A complete PDF's last line is %%EOF (ISO 32000-1 §7.5.5), give or take trailing whitespace. */
async function endsWithEof(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 1024);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    return /%%EOF[\s\0]*$/.test(tail.toString('latin1'));
  } finally {
    await handle.close();
  }
}

async function copyDurably(source: string, dir: string): Promise<string> {
  const tmp = path.join(dir, `.incoming-${randomBytes(8).toString('hex')}.pdf`);
  // Copy-on-write where the file system allows; then flushed, so a crash leaves it whole or absent.
  await copyFile(source, tmp);
  const handle = await open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

export async function queueDocument(request: QueueDocumentRequest): Promise<QueueDocumentResult> {
  const dossier = parseDossierCode(request.dossierCode);
  const source = path.resolve(request.file);
  try {
    const s = await stat(source);
    if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KysoError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `cannot read ${source}`, {
      details: { path: source },
      cause,
    });
  }
  const copy = request.copy ?? true;
  const checked = copy ? await copyDurably(source, request.outbox.filesDir) : source;
  let keep = false;
  try {
    const trust = request.trust ?? (await loadTrustStore({}));
    // A cut download or a damaged file is refused with its own code (PDF_TRUNCATED, PDF_NOT_PDF,
    // PDF_XREF_BROKEN…): the verifier would read it the repairing way, or read an earlier revision
    // whose end survived the cut, and call it merely unsigned.
    await (await PdfReader.open(checked)).close();
    if (!(await endsWithEof(checked))) {
      throw new KysoError('PDF_TRUNCATED', `${source} does not end with %%EOF`, {
        details: { path: source },
      });
    }
    const report = await verifyPdf({
      input: checked,
      trust,
      lang: request.lang ?? 'vi',
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const verdict = judge(report);
    if (!request.allowBrokenSignatures) {
      if (verdict.broken !== undefined) {
        throw new KysoError('UPLOAD_SIGNATURE_BROKEN', `broken signature in ${source}`, {
          details: { path: source, reason: verdict.broken.slice(0, 200) },
        });
      }
      if (verdict.unsigned) {
        throw new KysoError('UPLOAD_UNSIGNED', `${source} is not signed`, { details: { path: source } });
      }
    } else {
      if (verdict.broken !== undefined)
        verdict.warnings.unshift(`broken signature sent on request: ${verdict.broken}`);
      if (verdict.unsigned) verdict.warnings.unshift('unsigned document sent on request');
    }
    const { sha256, size } = await sha256File(checked);
    const key = idempotencyKey(request.destination, dossier.code, sha256);
    const already = request.outbox.byKey(key);
    if (already) return { item: already, existing: true, warnings: already.warnings };
    let file = checked;
    if (copy) {
      // Named by content: one copy however often it is queued.
      file = path.join(request.outbox.filesDir, `${sha256}.pdf`);
      await rename(checked, file);
    }
    const { item, existing } = request.outbox.add({
      idempotencyKey: key,
      destination: request.destination,
      dossierCode: dossier.code,
      fileName: path.basename(source),
      documentNumber: request.documentNumber ?? null,
      documentType: request.documentType ?? null,
      signerName: verdict.signer?.name ?? null,
      signerOrganization: verdict.signer?.organization ?? null,
      signingTime: verdict.signer?.time ?? null,
      sha256,
      size,
      file,
      copied: copy,
      sourcePath: source,
      warnings: verdict.warnings,
    });
    keep = true;
    return { item, existing, warnings: item.warnings };
  } finally {
    if (copy && !keep) await rm(checked, { force: true });
  }
}
