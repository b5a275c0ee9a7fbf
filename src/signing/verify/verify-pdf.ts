// verifyPdf: every signature of a PDF, with what changed after each. Opens the document lazily,
// finds the signatures through their dictionaries (in the final document and in every revision),
// validates each (signature-validation.ts), compares each signed revision with the later ones
// (modification-analysis.ts) and returns a report. Invalid signatures are data in the report;
// only unreadable input throws (PDF_NOT_PDF, PDF_TRUNCATED, PDF_ENCRYPTED, INPUT_NOT_FOUND, …).
import { createHash } from 'node:crypto';
import { KysoError, isKysoError } from '../../shared/errors.js';
import { openDocumentFile, PdfReader, type PositionalFile } from '../pdf/index.js';
import { loadSettings } from '../settings.js';
import {
  RevocationClient,
  revocationOptionsFromSettings,
  type RevocationOptions,
} from '../revocation/index.js';
import { CertificatePool, displayName } from './certificate-pool.js';
import { auditCrossReferences, skippedRevisionEnds } from './cross-reference-audit.js';
import { readDocumentSecurityStore, type DssContents } from './document-security-store.js';
import {
  analyseUpdate,
  isAllowed,
  RevisionRoles,
  type ChangeFact,
  type ChangePolicy,
} from './modification-analysis.js';
import { RevocationData } from './revocation-check.js';
import { RevisionViews } from './revision-views.js';
import { findSignatureDictionaries, type SignatureDictionary } from './signature-dictionaries.js';
import { validateSignature, type ValidatedSignature } from './signature-validation.js';
import type { TrustStore } from './trust-store.js';
import {
  CHECK_IDS,
  decideStatus,
  documentStatus,
  failed,
  passed,
  publicCheck,
  undecided,
  type ChangeAfterSigning,
  type ChangeKind,
  type CheckOutcome,
  type PadesLevel,
  type RevocationEvidenceSummary,
  type SignatureReport,
  type VerificationReport,
} from './verification-report.js';
import { verificationTexts, type ReportLang, type VerificationTexts } from './verification-texts.js';

export interface VerifyPdfRequest {
  readonly input: string;
  readonly trust: TrustStore;
  /** Validation time (default now): used when a signature states no time, and as "now". */
  readonly at?: Date;
  /** Fetch OCSP/CRL over the network when the document carries none. */
  readonly online?: boolean;
  readonly signal?: AbortSignal;
  /** Language of the report's sentences (default Vietnamese). */
  readonly lang?: ReportLang;
  /** Unknown revocation status makes a signature indeterminate instead of a warning. */
  readonly requireRevocation?: boolean;
  /**
   * Read the document with blocking calls when it fits in memory (see openDocumentFile): for a
   * command-line run; never in a process that draws a window.
   */
  readonly blockingReads?: boolean;
  /**
   * How --online fetches OCSP/CRL (or a client shared with other work). Default: the settings'
   * proxy, cache and retries (revocationOptionsFromSettings).
   */
  readonly revocation?: RevocationOptions | RevocationClient;
}

/**
 * Opens the file; a broken cross-reference is read the way a repairing viewer would (and reported).
 * A table can look sound at open and still point at the wrong bytes for the objects a signature
 * needs, so the form and the page tree are read once before the reader is trusted.
 */
async function openFinal(input: string | Buffer): Promise<{ reader: PdfReader; repaired: boolean }> {
  let reader: PdfReader | undefined;
  try {
    reader = await PdfReader.open(input);
    if (!reader.isEncrypted) {
      await findSignatureDictionaries(reader);
      await reader.pageCount();
    }
    return { reader, repaired: false };
  } catch (err) {
    await reader?.close().catch(() => undefined);
    if (!isKysoError(err) || (err.code !== 'PDF_XREF_BROKEN' && err.code !== 'PDF_MALFORMED')) throw err;
    try {
      return { reader: await PdfReader.open(input, { repair: true }), repaired: true };
    } catch {
      throw err;
    }
  }
}

interface Found {
  readonly sig: SignatureDictionary;
  /** The revision view whose cross-reference locates the signature dictionary. */
  readonly foundIn: number;
}

function signatureKey(sig: SignatureDictionary): string {
  const contents = sig.contents === null ? '' : createHash('sha256').update(sig.contents).digest('hex');
  return `${(sig.byteRange ?? []).join(',')}|${contents}`;
}

/** The offset of the object holding the signature dictionary, in `reader`'s cross-reference. */
function holderOffset(reader: PdfReader, sig: SignatureDictionary): number | undefined {
  const ref = sig.sigRef ?? sig.fieldRef;
  if (ref === null) return undefined;
  const e = reader.xrefEntries().get(ref.num);
  return e?.type === 'offset' ? e.offset : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KysoError('CANCELLED', 'Verification was cancelled.');
}

export async function verifyPdf(request: VerifyPdfRequest): Promise<VerificationReport> {
  const texts = verificationTexts(request.lang ?? 'vi');
  const validationTime = request.at ?? new Date();
  // Opened once: every reader below works on the same bytes (see document-file.ts).
  const document = await openDocumentFile(request.input, { blocking: request.blockingReads === true });
  const file = document.file;
  let opened: Awaited<ReturnType<typeof openFinal>>;
  try {
    opened = await openFinal(document.source);
  } catch (err) {
    await file.close().catch(() => undefined);
    throw err;
  }
  const { reader: final, repaired } = opened;
  let views: RevisionViews | undefined;
  try {
    if (final.isEncrypted) {
      throw new KysoError(
        'PDF_ENCRYPTED',
        'The PDF is encrypted; Kyso cannot verify signatures in encrypted files yet.',
        {
          details: { path: request.input, action: 'verify' },
        },
      );
    }
    const warnings: string[] = [];
    if (repaired) warnings.push(texts.repairedStructure());
    if (request.trust.anchors.length === 0) warnings.push(texts.noTrustAnchors());
    if (request.trust.skipped.length > 0) warnings.push(texts.skippedTrustFiles(request.trust.skipped));

    // Signatures as the final document shows them.
    const found: Found[] = [];
    const seen = new Set<string>();
    const finalSigs = await findSignatureDictionaries(final);

    // Revision boundaries: the cross-reference chain's, and where each signature says its revision ends.
    // A signature may end a revision the cross-reference chain skips (an attacker's /Prev): its end
    // counts as a revision when the signed bytes end with %%EOF.
    const ends = new Set(final.revisions.map((r) => r.endOffset));
    for (const sig of finalSigs) {
      const br = sig.byteRange;
      if (br?.length !== 4 || !br.every((n) => Number.isSafeInteger(n) && n >= 0)) continue;
      const end = br[2]! + br[3]!;
      const known = final.revisions.some((r) => r.endOffset === end || r.eofMarkerEnd === end);
      if (!known && end > 0 && end <= final.size && (await endsWithEof(file, end))) ends.add(end);
    }
    if (!repaired)
      for (const end of await skippedRevisionEnds(document.source, final.revisions)) ends.add(end);
    const boundaries = [...ends].sort((a, b) => a - b);
    if (boundaries.length === 0) boundaries.push(final.size);
    views = new RevisionViews(document.source, final.size, boundaries, final);

    // Signatures of earlier revisions that the final document no longer shows are verified too:
    // removing a signature is a change the analysis must name.
    for (const sig of finalSigs) {
      const key = signatureKey(sig);
      if (!seen.has(key)) {
        seen.add(key);
        found.push({ sig, foundIn: views.count });
      }
    }
    for (let n = 1; n < views.count; n++) {
      throwIfAborted(request.signal);
      const v = await views.view(n);
      if (!v.ok) continue;
      let sigs: SignatureDictionary[] = [];
      try {
        sigs = await findSignatureDictionaries(v.reader);
      } catch {
        continue;
      }
      for (const sig of sigs) {
        const key = signatureKey(sig);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ sig, foundIn: n });
      }
    }

    // The DSS of the final document: certificates and revocation data for every signature.
    let dss: DssContents = { present: false, certificates: [], ocsps: [], crls: [] };
    try {
      dss = await readDocumentSecurityStore(final);
    } catch {
      // an unreadable DSS is no evidence; signatures are validated without it
    }
    const documentCertificates = new CertificatePool(dss.certificates).all();
    const documentRevocation = new RevocationData({ crls: dss.crls, ocsps: dss.ocsps }, 'dss');

    // Changes made by each update, computed once (revision n compared with n − 1).
    const updates = await analyseUpdates(views, final, texts, request.signal);
    // What a viewer resolves through each later revision's own cross-reference (offsets, object
    // stream indexes, generations, /Prev), which the object comparison above cannot see.
    const tricks = await auditCrossReferences({
      input: document.source,
      boundaries: views.boundaries,
      view: (n) => views!.view(n),
      finalRepaired: repaired,
    });
    updates.facts.push(...tricks.facts);
    for (const n of tricks.undecided) updates.unanalysed.add(n);
    const trailing = await trailingData(file, final);
    if (trailing !== null) {
      warnings.push(texts.trailingData(trailing));
      updates.facts.push({
        revision: views.count + 1,
        kind: 'appended-data',
        requirement: 'never',
        subject: `${trailing} bytes`,
        objects: [],
      });
    }

    // Document timestamps first, the latest first: each one is proof of existence (POE) for what
    // earlier revisions hold, signatures and earlier (archive) timestamps alike.
    const located: Array<{ found: Found; revision: number }> = found.map((f) => {
      const br = f.sig.byteRange;
      const end = br?.length === 4 ? br[2]! + br[3]! : -1;
      return { found: f, revision: views!.revisionEndingAt(end, 2) };
    });
    const order = [
      ...located
        .filter((x) => x.found.sig.type === 'document-timestamp')
        .sort((a, b) => (b.revision || -1) - (a.revision || -1)),
      ...located.filter((x) => x.found.sig.type !== 'document-timestamp'),
    ];
    const proofs: Array<{ revision: number; at: Date }> = [];
    const poeAfter = (revision: number): Date | undefined => {
      if (revision <= 0) return undefined;
      let best: Date | undefined;
      for (const p of proofs) if (p.revision > revision && (best === undefined || p.at < best)) best = p.at;
      return best;
    };
    const revocationClient = request.online ? await onlineClient(request) : undefined;
    const validated: Array<{ found: Found; v: ValidatedSignature; revision: number }> = [];
    for (const { found: f, revision } of order) {
      throwIfAborted(request.signal);
      let offsetView: PdfReader = final;
      if (revision > 0) {
        const v = await views.view(revision);
        if (v.ok) offsetView = v.reader;
      }
      const poe = poeAfter(revision);
      const v = await validateSignature(
        {
          file,
          fileSize: final.size,
          trust: request.trust,
          documentCertificates,
          documentRevocation,
          validationTime,
          online: request.online ?? false,
          requireRevocation: request.requireRevocation ?? false,
          texts,
          ...(revocationClient ? { revocationClient } : {}),
          ...(poe ? { poe } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        },
        f.sig,
        holderOffset(offsetView, f.sig) ?? holderOffset(final, f.sig),
      );
      if (
        f.sig.type === 'document-timestamp' &&
        revision > 0 &&
        v.documentTimestampTime !== undefined &&
        v.timestamp?.status === 'valid' &&
        decideStatus(v.checks).status === 'valid'
      ) {
        proofs.push({ revision, at: v.documentTimestampTime });
      }
      validated.push({ found: f, v, revision });
    }
    validated.sort((a, b) => (a.revision || Infinity) - (b.revision || Infinity));

    const certification = validated.find((x) => x.found.sig.docMdp !== undefined);
    const signatures: SignatureReport[] = [];
    for (const [i, x] of validated.entries()) {
      const { sig } = x.found;
      const checks = [...x.v.checks];
      const total = views.count;
      const whole =
        x.v.byteRange.ok &&
        x.v.byteRange.coveredEnd >= (final.revisions.at(-1)?.eofMarkerEnd ?? final.size) &&
        trailing === null &&
        x.revision === total;
      const brIndex = checks.findIndex((c) => c.id === 'byte-range');
      if (x.v.byteRange.ok && brIndex >= 0) {
        checks[brIndex] =
          x.revision > 0
            ? passed('byte-range', texts.byteRangeOk(x.revision, total, whole))
            : failed('byte-range', texts.byteRangeProblem('not-revision-end'), 'invalid', 'FORMAT_FAILURE');
      }
      // Changes after this signature, judged by its permissions.
      const policy: ChangePolicy = {
        certification:
          certification !== undefined && certification.revision <= x.revision
            ? (certification.found.sig.docMdp ?? 2)
            : null,
        ...(sig.fieldLock ? { lock: sig.fieldLock } : {}),
      };
      const later =
        x.revision > 0
          ? updates.facts.filter((fact) => fact.revision > x.revision).sort(byRevisionAndWeight)
          : [];
      const changesAfter: ChangeAfterSigning[] = later.map((fact) => ({
        revision: fact.revision,
        kind: fact.kind,
        allowed: isAllowed(fact, policy),
        description: texts.change(fact.kind, fact.subject, fact.revision),
      }));
      checks.push(modificationCheck(texts, x.revision, updates, changesAfter, x.v.byteRange.ok));
      const decision = decideStatus(checks);
      const warnings = checks.filter((c) => c.result === 'warning').length;
      const info = x.v.signer?.info;
      signatures.push({
        index: i + 1,
        field: sig.field,
        type: sig.type,
        subFilter: sig.subFilter,
        status: decision.status,
        ...(decision.subIndication ? { subIndication: decision.subIndication } : {}),
        reason: decision.decidedBy?.detail ?? texts.statusValid(warnings),
        signer: {
          name: info?.subjectCN ?? sig.name ?? null,
          organization: info?.subjectOrganization ?? null,
          dn: info?.subjectDN ?? null,
        },
        issuer: info?.issuerDN ?? null,
        serial: info?.serialHex ?? null,
        ...(x.v.trustAnchor ? { trustAnchor: x.v.trustAnchor } : {}),
        signingTime: x.v.signingTime?.toISOString() ?? null,
        signingTimeSource: x.v.signingTimeSource,
        ...(x.v.timestamp ? { timestamp: x.v.timestamp } : {}),
        level: 'none',
        ltv: null,
        evidence: {
          time: { source: x.v.evidenceTime.source, at: x.v.evidenceTime.at?.toISOString() ?? null },
          revocation: revocationEvidence(x.v),
          dssRevision: null,
          archiveTimestamps: [],
        },
        digestAlgorithm: x.v.digestAlgorithm,
        signatureAlgorithm: x.v.signatureAlgorithm,
        ...(sig.docMdp !== undefined ? { certification: sig.docMdp } : {}),
        coverage: {
          wholeDocument: whole,
          revision: x.revision,
          revisions: total,
          signedBytes: x.v.byteRange.ok ? x.v.byteRange.coveredEnd : null,
        },
        checks: [...checks]
          .sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id))
          .map(publicCheck),
        changesAfter,
      });
    }
    const withLevels = await assignLevels(
      signatures,
      validated.map((x) => x.v),
      views,
      dss.present,
      updates,
    );
    return {
      status: documentStatus(withLevels),
      file: request.input,
      revisions: views.count,
      validationTime: validationTime.toISOString(),
      signatures: withLevels,
      warnings: [...warnings, ...updates.warnings],
    };
  } finally {
    await views?.close();
    await file.close().catch(() => undefined);
    await final.close().catch(() => undefined);
  }
}

/** Within a revision, what a person must hear first: changed content before bookkeeping. */
const CHANGE_WEIGHT: readonly ChangeKind[] = [
  'cross-reference-changed',
  'page-content-changed',
  'pages-changed',
  'object-changed',
  'catalog-changed',
  'signature-changed',
  'appended-data',
  'unreadable-revision',
  'annotation-changed',
  'form-filled',
  'form-changed',
  'page-changed',
  'signature-added',
  'document-timestamp-added',
  'signature-field-added',
  'dss-updated',
  'structure-tree-changed',
  'metadata-changed',
];

function byRevisionAndWeight(a: ChangeFact, b: ChangeFact): number {
  return a.revision - b.revision || CHANGE_WEIGHT.indexOf(a.kind) - CHANGE_WEIGHT.indexOf(b.kind);
}

interface Updates {
  readonly facts: ChangeFact[];
  /** Revisions whose analysis could not be done (unreadable view, too large). */
  readonly unanalysed: Set<number>;
  readonly warnings: string[];
}

async function analyseUpdates(
  views: RevisionViews,
  final: PdfReader,
  texts: VerificationTexts,
  signal: AbortSignal | undefined,
): Promise<Updates> {
  const facts: ChangeFact[] = [];
  const unanalysed = new Set<number>();
  const warnings: string[] = [];
  if (views.count < 2) return { facts, unanalysed, warnings };
  const roles = new Map<number, RevisionRoles>();
  const rolesOf = async (n: number): Promise<RevisionRoles | null> => {
    const known = roles.get(n);
    if (known) return known;
    const v = n === views.count ? { ok: true as const, reader: final } : await views.view(n);
    if (!v.ok) return null;
    const r = new RevisionRoles(v.reader);
    roles.set(n, r);
    return r;
  };
  for (let n = 2; n <= views.count; n++) {
    throwIfAborted(signal);
    const prev = await rolesOf(n - 1);
    const cur = await rolesOf(n);
    if (cur === null) {
      facts.push({
        revision: n,
        kind: 'unreadable-revision',
        requirement: 'never',
        subject: `${views.boundaries[n - 1]}`,
        objects: [],
      });
      warnings.push(texts.revisionUnreadable(n));
      continue;
    }
    if (prev === null) {
      unanalysed.add(n);
      continue;
    }
    try {
      facts.push(...(await analyseUpdate(prev, cur, n)));
    } catch (err) {
      if (isKysoError(err) && err.code === 'CANCELLED') throw err;
      facts.push({
        revision: n,
        kind: 'unreadable-revision',
        requirement: 'never',
        subject: isKysoError(err) ? err.code : 'error',
        objects: [],
      });
    }
  }
  return { facts, unanalysed, warnings };
}

async function endsWithEof(file: PositionalFile, end: number): Promise<boolean> {
  const length = Math.min(16, end);
  const buf = Buffer.alloc(length);
  await file.read(buf, 0, length, end - length);
  return /%%EOF[\r\n]{0,2}$/.test(buf.toString('latin1'));
}

/** Non-blank bytes after the last revision's end: what a repairing viewer might still read. */
async function trailingData(file: PositionalFile, final: PdfReader): Promise<number | null> {
  const end = final.revisions.at(-1)?.endOffset ?? final.size;
  if (end >= final.size) return null;
  const length = Math.min(final.size - end, 1 << 20);
  const buf = Buffer.alloc(length);
  await file.read(buf, 0, length, end);
  return /[^\s\0]/.test(buf.toString('latin1')) ? final.size - end : null;
}

function modificationCheck(
  texts: VerificationTexts,
  revision: number,
  updates: Updates,
  changes: readonly ChangeAfterSigning[],
  byteRangeOk: boolean,
): CheckOutcome {
  if (!byteRangeOk || revision === 0)
    return { id: 'modifications', result: 'not-checked', detail: texts.modificationsNotChecked() };
  const disallowed = changes.find((c) => !c.allowed);
  if (disallowed !== undefined)
    return failed(
      'modifications',
      texts.modificationsDisallowed(disallowed.description),
      'invalid',
      'FORMAT_FAILURE',
    );
  if ([...updates.unanalysed].some((n) => n > revision)) {
    return undecided('modifications', texts.modificationsNotChecked(), 'SIGNED_DATA_NOT_FOUND');
  }
  return changes.length === 0
    ? passed('modifications', texts.modificationsNone())
    : passed('modifications', texts.modificationsAllowed(changes.length));
}

/** The revocation status of each certificate of the path and the data that decided it. */
function revocationEvidence(v: ValidatedSignature): RevocationEvidenceSummary[] {
  return (v.revocation?.certificates ?? []).map(({ cert, revocation: r }) => {
    if (r.status === 'unknown')
      return { subject: displayName(cert), status: 'unknown', kind: null, from: null, issuedAt: null };
    return {
      subject: displayName(cert),
      status: r.status,
      kind: r.kind === 'no-check' ? null : r.kind,
      from: r.evidence?.from ?? null,
      issuedAt: r.evidence?.issuedAt.toISOString() ?? null,
    };
  });
}

/** The client that fetches OCSP/CRL for --online: the settings' proxy, cache, retries and nonce. */
async function onlineClient(request: VerifyPdfRequest): Promise<RevocationClient> {
  if (request.revocation instanceof RevocationClient) return request.revocation;
  let options: RevocationOptions | undefined = request.revocation;
  if (options === undefined) {
    try {
      options = revocationOptionsFromSettings(await loadSettings());
    } catch {
      options = {}; // a broken settings file: the defaults (the CLI reports the file itself)
    }
  }
  // --online asks the servers even when the settings say offline for signing.
  return new RevocationClient({
    ...options,
    mode: 'online',
    ...(request.signal ? { signal: request.signal } : {}),
  });
}

/**
 * PAdES baseline levels (ETSI EN 319 142-1 §6): B-B for a CAdES-detached signature; B-T with a
 * signature timestamp or a later document timestamp; B-LT when a DSS update of the signature's own
 * or a later revision carries the validation data (certificates and revocation) of the path; B-LTA
 * when a valid document timestamp covers that DSS update. Each signature has its own DSS update:
 * the first one after its revision (else the one in its revision). `ltv` applies the same rules to
 * any subfilter (adbe.pkcs7.detached included), whose `level` stays 'none'.
 */
async function assignLevels(
  signatures: SignatureReport[],
  validated: readonly ValidatedSignature[],
  views: RevisionViews,
  dssPresent: boolean,
  updates: Updates,
): Promise<SignatureReport[]> {
  const docTimestamps = signatures
    .map((s, i) => ({ s, v: validated[i]! }))
    .filter((x) => x.s.type === 'document-timestamp' && x.v.documentTimestampTime !== undefined);
  const archives = docTimestamps.filter((d) => d.s.status === 'valid' && d.v.timestamp?.status === 'valid');
  // The revisions that wrote the DSS.
  let dssRevisions: readonly number[] = [];
  if (dssPresent) {
    const set = new Set(updates.facts.filter((f) => f.kind === 'dss-updated').map((f) => f.revision));
    const first = await views.view(1);
    if (first.ok) {
      try {
        if ((await first.reader.catalog()).has('DSS')) set.add(1);
      } catch {
        // an unreadable first revision has no DSS to speak of
      }
    }
    dssRevisions = [...set].sort((a, b) => a - b);
  }
  return signatures.map((s, i) => {
    const v = validated[i]!;
    if (s.type !== 'signature') return s;
    const r = s.coverage.revision;
    const dssRevision =
      r === 0 ? null : (dssRevisions.find((n) => n > r) ?? (dssRevisions.includes(r) ? r : null));
    let reached: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' = 'B-B';
    const laterTimestamp = docTimestamps.some((d) => d.s.coverage.revision > r);
    if (v.hasSignatureTimestamp || laterTimestamp) reached = 'B-T';
    const embeddedRevocation = v.revocation?.overall === 'good' && v.revocation.allEmbedded;
    const hasDss = dssRevision !== null;
    if (reached === 'B-T' && hasDss && embeddedRevocation) reached = 'B-LT';
    const covering = dssRevision === null ? [] : archives.filter((d) => d.s.coverage.revision >= dssRevision);
    if (reached === 'B-LT' && covering.length > 0) reached = 'B-LTA';
    const etsi = s.subFilter === 'ETSI.CAdES.detached';
    const level: PadesLevel = etsi ? reached : 'none';
    const ltv = reached === 'B-LTA' ? 'LTA' : reached === 'B-LT' ? 'LT' : null;
    const evidence = s.evidence
      ? {
          ...s.evidence,
          dssRevision: reached === 'B-LT' || reached === 'B-LTA' ? dssRevision : null,
          archiveTimestamps: reached === 'B-LTA' ? covering.map((d) => d.s.index) : [],
        }
      : undefined;
    return { ...s, level, ltv, ...(evidence ? { evidence } : {}) };
  });
}
