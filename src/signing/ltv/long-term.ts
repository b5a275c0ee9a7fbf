// B-LT and B-LTA (ETSI EN 319 142-1 §6.3, §6.4) on a document being written: a document timestamp
// first for signatures that have no timestamp yet (B-LT builds on B-T), then one DSS update with the
// chain and revocation evidence of every signature and every timestamp's TSA, each signature's VRI,
// and for B-LTA an archive document timestamp over it all (whose own TSA evidence is added in a last
// DSS update only when it was not already known). Every step is an incremental update: earlier
// signatures keep their bytes and stay valid.
import { KysoError } from '../../shared/errors.js';
import type { DigestAlgorithm, TsaEvent } from '../cms/index.js';
import { IncrementalUpdate, PdfReader } from '../pdf/index.js';
import {
  collectValidationData,
  DerSet,
  isSelfSigned,
  readRevocationCertificate,
  type RevocationClient,
  type RevocationProblem,
  type RevocationStatus,
  type ValidationData,
} from '../revocation/index.js';
import type { PendingOutput } from '../sign/output-file.js';
import { readDocumentSecurityStore } from '../verify/document-security-store.js';
import { appendDocumentTimestamp, type AddedDocumentTimestamp } from './document-timestamp.js';
import { writeDss, type DssWriteSummary, type VriEntry } from './dss-writer.js';
import { inventorySignatures, type SignatureInventory } from './signature-inventory.js';
import { timestampSizeHint, type TimestampServer } from './timestamp-size.js';

export type LongTermLevel = 'B-LT' | 'B-LTA';
export type ReachedLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export type LongTermProgress =
  | { readonly stage: 'validation-data'; readonly subject: string }
  | { readonly stage: 'timestamp'; readonly role: 'coverage' | 'archive'; readonly event: TsaEvent }
  | { readonly stage: 'writing' };

export interface LongTermOptions {
  readonly level: LongTermLevel;
  /** Needed for B-LTA, and for B-LT when a signature has no timestamp yet. */
  readonly tsa?: TimestampServer;
  readonly digest?: DigestAlgorithm;
  readonly revocation: RevocationClient;
  /** Certificates that may complete chains (intermediates an admin configured). */
  readonly extraCertificates?: readonly Uint8Array[];
  /** The data folder for what is learned about TSAs; null: memory only. */
  readonly home?: string | null;
  /** Renew the archive timestamp this many days before its TSA certificate expires. */
  readonly renewBeforeDays?: number;
  /**
   * Add a document timestamp first when a signature has none, so that it can reach B-LT (default
   * true). Signing turns it off: the new signature has its own timestamp, and other signers'
   * signatures only get their validation data.
   */
  readonly timestampUntimestamped?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LongTermProgress) => void;
  readonly now?: () => Date;
}

export interface CertificateEvidence {
  readonly subject: string;
  /** 'signer' for the signer's chain, 'timestamp' for a TSA's. */
  readonly role: 'signer' | 'timestamp';
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source: 'ocsp' | 'crl' | 'no-check' | null;
  readonly revokedAt: string | null;
}

export interface SignatureLongTermReport {
  readonly field: string;
  readonly type: 'signature' | 'document-timestamp';
  readonly vriKey: string;
  /** Every chain reached a root and every certificate's status is proven. */
  readonly complete: boolean;
  /** The PAdES level the writer's evidence supports (the verifier has the last word). */
  readonly level: ReachedLevel | null;
  readonly certificates: readonly CertificateEvidence[];
}

export interface AddedTimestampReport {
  readonly role: 'coverage' | 'archive';
  readonly field: string;
  readonly time: string;
  readonly reservedBytes: number;
  readonly tokenBytes: number;
}

export interface LongTermResult {
  /** The lowest level among the document's signatures (document timestamps aside). */
  readonly level: ReachedLevel;
  readonly signatures: readonly SignatureLongTermReport[];
  readonly timestamps: readonly AddedTimestampReport[];
  readonly dss: readonly DssWriteSummary[];
  /** What could not be fetched or used, for the user. */
  readonly problems: readonly RevocationProblem[];
  /** When the archive timestamp should be renewed (B-LTA). */
  readonly renewBy: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_RENEW_BEFORE_DAYS = 180;

interface Collected {
  readonly inventory: SignatureInventory;
  readonly signer: ValidationData | undefined;
  readonly timestamps: readonly ValidationData[];
}

function evidence(
  role: 'signer' | 'timestamp',
  statuses: readonly RevocationStatus[],
): CertificateEvidence[] {
  return statuses.map((s) => ({
    subject: s.certificate.name,
    role,
    status: s.status,
    source: s.source ?? null,
    revokedAt: s.revokedAt?.toISOString() ?? null,
  }));
}

function isComplete(data: ValidationData | undefined): boolean {
  return data !== undefined && data.complete && data.statuses.every((s) => s.status !== 'unknown');
}

/** Reads the inventory and the DSS certificates of the file as written so far. */
async function readState(
  pending: PendingOutput,
): Promise<{ inventory: SignatureInventory[]; dssCertificates: Uint8Array[]; size: number }> {
  const reader = await PdfReader.open(pending.temp);
  try {
    const inventory = await inventorySignatures(reader);
    let dssCertificates: Uint8Array[] = [];
    try {
      dssCertificates = [...(await readDocumentSecurityStore(reader)).certificates];
    } catch {
      dssCertificates = [];
    }
    return { inventory, dssCertificates, size: reader.size };
  } finally {
    await reader.close();
  }
}

function needsTimestamp(sig: SignatureInventory, all: readonly SignatureInventory[]): boolean {
  if (sig.type !== 'signature' || sig.timestamps.length > 0) return false;
  return !all.some((d) => d.type === 'document-timestamp' && d.coveredEnd > sig.coveredEnd);
}

async function collect(
  options: LongTermOptions,
  inventory: readonly SignatureInventory[],
  dssCertificates: readonly Uint8Array[],
): Promise<Collected[]> {
  const extra = options.extraCertificates ?? [];
  const out: Collected[] = [];
  for (const sig of inventory) {
    if (options.signal?.aborted === true) throw new KysoError('CANCELLED', 'Cancelled.');
    let signer: ValidationData | undefined;
    // A document timestamp's signer is its TSA: its data is gathered as a timestamp's below.
    if (sig.type === 'signature' && sig.signerCertificate !== undefined) {
      const name = readRevocationCertificate(sig.signerCertificate)?.name ?? sig.field;
      options.onProgress?.({ stage: 'validation-data', subject: name });
      signer = await collectValidationData(options.revocation, sig.signerCertificate, {
        pool: [...sig.certificates, ...dssCertificates, ...extra],
      });
    }
    const timestamps: ValidationData[] = [];
    for (const ts of sig.timestamps) {
      if (ts.tsaCertificate === undefined) continue;
      const name = readRevocationCertificate(ts.tsaCertificate)?.name ?? 'TSA';
      options.onProgress?.({ stage: 'validation-data', subject: name });
      timestamps.push(
        await collectValidationData(options.revocation, ts.tsaCertificate, {
          pool: [...ts.certificates, ...dssCertificates, ...extra],
        }),
      );
    }
    out.push({ inventory: sig, signer, timestamps });
  }
  return out;
}

function vriEntry(c: Collected): VriEntry {
  const certificates = new DerSet();
  const ocsps = new DerSet();
  const crls = new DerSet();
  for (const data of [c.signer, ...c.timestamps]) {
    if (data === undefined) continue;
    data.certificates.forEach((d) => certificates.add(d));
    data.ocsps.forEach((d) => ocsps.add(d));
    data.crls.forEach((d) => crls.add(d));
  }
  // What the CMS already carries is evidence too; listing it in the VRI costs nothing.
  c.inventory.ocsps.forEach((d) => ocsps.add(d));
  c.inventory.crls.forEach((d) => crls.add(d));
  return { key: c.inventory.vriKey, certificates: certificates.items, ocsps: ocsps.items, crls: crls.items };
}

/** Appends one DSS update to the file being written. */
async function appendDss(
  pending: PendingOutput,
  vri: readonly VriEntry[],
  objects: { certificates: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] },
  time: Date,
): Promise<DssWriteSummary> {
  const reader = await PdfReader.open(pending.temp);
  try {
    const update = new IncrementalUpdate(reader);
    const summary = await writeDss(reader, update, { objects, vri, time });
    const bytes = update.serialize().bytes;
    await pending.truncate(reader.size);
    await pending.append(bytes);
    return summary;
  } finally {
    await reader.close();
  }
}

function earliestExpiry(data: ValidationData | undefined): Date | undefined {
  // The chain but its root: a root's expiry is the trust store's business.
  const times = (data?.chain ?? [])
    .filter((c) => !isSelfSigned(c))
    .map((c) => c.cert.notAfter.value.getTime());
  return times.length === 0 ? undefined : new Date(Math.min(...times));
}

/**
 * Adds the long-term validation data of `options.level` to the file being written (whose current
 * content is the signed document). Returns what was added and what is missing.
 */
export async function appendLongTermData(
  pending: PendingOutput,
  options: LongTermOptions,
): Promise<LongTermResult> {
  const now = (): Date => options.now?.() ?? new Date();
  const digest = options.digest ?? 'sha256';
  const home = options.home;
  const added: Array<AddedDocumentTimestamp & { role: 'coverage' | 'archive' }> = [];
  const stamp = async (role: 'coverage' | 'archive'): Promise<AddedDocumentTimestamp> => {
    const tsa = options.tsa;
    if (tsa === undefined) {
      const reason =
        role === 'archive'
          ? 'B-LTA needs a timestamp server (--tsa URL)'
          : 'a signature without a timestamp needs one for B-LT (--tsa URL)';
      throw new KysoError('USAGE', reason, { details: { reason } });
    }
    const ts = await appendDocumentTimestamp(pending, {
      tsa,
      digest,
      ...(home !== undefined ? { home } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (event) => options.onProgress?.({ stage: 'timestamp', role, event }),
    });
    added.push({ ...ts, role });
    return ts;
  };

  let state = await readState(pending);
  if (!state.inventory.some((s) => s.type === 'signature')) {
    throw new KysoError('PDF_NOT_SIGNED', 'The document carries no signature.', {
      details: { path: pending.target },
    });
  }
  // B-LT builds on B-T: one document timestamp covers every signature that has none.
  if (
    options.timestampUntimestamped !== false &&
    state.inventory.some((s) => needsTimestamp(s, state.inventory))
  ) {
    await stamp('coverage');
    state = await readState(pending);
  }

  const collected = await collect(options, state.inventory, state.dssCertificates);
  // For B-LTA, the archive timestamp's TSA evidence goes in the same DSS when its certificate is
  // known in advance (from earlier tokens of that TSA).
  let tsaData: ValidationData | undefined;
  if (options.level === 'B-LTA' && options.tsa !== undefined) {
    const hint = await timestampSizeHint({
      tsa: options.tsa,
      digest,
      probe: true,
      ...(home !== undefined ? { home } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const [tsaCert, ...tsaPool] = hint.certificates;
    if (tsaCert !== undefined) {
      const name = readRevocationCertificate(tsaCert)?.name ?? 'TSA';
      options.onProgress?.({ stage: 'validation-data', subject: name });
      tsaData = await collectValidationData(options.revocation, tsaCert, {
        pool: [...tsaPool, ...state.dssCertificates, ...(options.extraCertificates ?? [])],
      });
    }
  }
  options.onProgress?.({ stage: 'writing' });
  const dss: DssWriteSummary[] = [];
  const objects = {
    certificates: [...(tsaData?.certificates ?? [])],
    ocsps: [...(tsaData?.ocsps ?? [])],
    crls: [...(tsaData?.crls ?? [])],
  };
  dss.push(await appendDss(pending, collected.map(vriEntry), objects, now()));

  let archiveData: ValidationData | undefined;
  if (options.level === 'B-LTA') {
    const archive = await stamp('archive');
    const known = tsaData?.chain[0]?.fingerprint;
    const archiveCert = archive.tsaCertificate
      ? readRevocationCertificate(archive.tsaCertificate)
      : undefined;
    if (archiveCert !== undefined && archiveCert.fingerprint === known) archiveData = tsaData;
    else if (archive.tsaCertificate !== undefined) {
      // Another TSA certificate than expected: its evidence follows in a DSS update of its own.
      const reread = await readState(pending);
      const [entry] = await collect(
        options,
        reread.inventory.filter(
          (s) => s.type === 'document-timestamp' && s.vriKey === vriKeyOfLast(reread.inventory),
        ),
        reread.dssCertificates,
      );
      if (entry !== undefined) {
        archiveData = entry.timestamps[0];
        dss.push(
          await appendDss(pending, [vriEntry(entry)], { certificates: [], ocsps: [], crls: [] }, now()),
        );
      }
    }
  }

  const final = await readState(pending);
  const lastDocTs = [...final.inventory].reverse().find((s) => s.type === 'document-timestamp');
  const signatures: SignatureLongTermReport[] = collected.map((c) => {
    const s = c.inventory;
    const complete =
      isComplete(c.signer) &&
      c.timestamps.every(isComplete) &&
      (s.type !== 'signature' || c.signer !== undefined);
    let level: ReachedLevel | null = null;
    if (s.type === 'signature') {
      const timestamped =
        s.timestamps.length > 0 ||
        final.inventory.some((d) => d.type === 'document-timestamp' && d.coveredEnd > s.coveredEnd);
      level = !timestamped
        ? 'B-B'
        : !complete
          ? 'B-T'
          : options.level === 'B-LTA' && added.some((a) => a.role === 'archive')
            ? 'B-LTA'
            : 'B-LT';
    }
    return {
      field: s.field,
      type: s.type,
      vriKey: s.vriKey,
      complete,
      level,
      certificates: [
        ...evidence('signer', c.signer?.statuses ?? []),
        ...c.timestamps.flatMap((t) => evidence('timestamp', t.statuses)),
      ],
    };
  });
  const order: readonly ReachedLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];
  const levels = signatures.flatMap((s) => (s.level === null ? [] : [s.level]));
  const level = levels.reduce<ReachedLevel>(
    (low, l) => (order.indexOf(l) < order.indexOf(low) ? l : low),
    'B-LTA',
  );

  let renewBy: string | null = null;
  if (archiveData !== undefined || lastDocTs !== undefined) {
    const expiry = earliestExpiry(archiveData) ?? tsaExpiryOf(lastDocTs);
    if (expiry !== undefined) {
      renewBy = new Date(
        expiry.getTime() - (options.renewBeforeDays ?? DEFAULT_RENEW_BEFORE_DAYS) * DAY_MS,
      ).toISOString();
    }
  }
  return {
    level,
    signatures,
    timestamps: added.map((a) => ({
      role: a.role,
      field: a.fieldName,
      time: a.genTime.toISOString(),
      reservedBytes: a.reservedBytes,
      tokenBytes: a.tokenBytes,
    })),
    dss,
    problems: dedupeProblems(collected, tsaData, archiveData),
    renewBy,
  };
}

function vriKeyOfLast(inventory: readonly SignatureInventory[]): string | undefined {
  return [...inventory].reverse().find((s) => s.type === 'document-timestamp')?.vriKey;
}

/** The TSA certificate's expiry of a document timestamp, from the token alone. */
export function tsaExpiryOf(sig: SignatureInventory | undefined): Date | undefined {
  const der = sig?.timestamps[0]?.tsaCertificate;
  const cert = der ? readRevocationCertificate(der) : undefined;
  return cert?.cert.notAfter.value;
}

function dedupeProblems(
  collected: readonly Collected[],
  ...more: Array<ValidationData | undefined>
): RevocationProblem[] {
  const seen = new Set<string>();
  const out: RevocationProblem[] = [];
  const all = [...collected.flatMap((c) => [c.signer, ...c.timestamps]), ...more];
  for (const data of all) {
    for (const p of data?.problems ?? []) {
      const key = `${p.source}|${p.subject}|${p.url ?? ''}|${p.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}
