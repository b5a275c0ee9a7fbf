// Writes the Document Security Store (ETSI EN 319 142-1 §5.4.2; ISO 32000-2 §12.8.4.3) into an
// incremental update: /DSS << /Certs [...] /OCSPs [...] /CRLs [...] /VRI << /<KEY> << /Cert /OCSP
// /CRL /TU >> >> >>, each item a stream holding one DER object. An existing DSS is merged, never
// replaced: its streams are kept (and reused when the same object is added again), its VRI entries
// stay, other keys are carried over. Earlier revisions are untouched, so earlier signatures stay valid.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { KysoError } from '../../shared/errors.js';
import {
  type IncrementalUpdate,
  PdfArray,
  PdfDict,
  PdfRef,
  PdfStream,
  PdfString,
  pdfName,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';
import { pdfDate } from '../pdf/index.js';

export interface ValidationObjects {
  readonly certificates: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

export interface VriEntry extends ValidationObjects {
  /** Upper-case hex SHA-1 of the signature's /Contents. */
  readonly key: string;
}

export interface DssUpdate {
  /** Objects for the document-wide arrays. */
  readonly objects: ValidationObjects;
  /** Per-signature entries. */
  readonly vri: readonly VriEntry[];
  /** The /TU (time of update) of new VRI entries. */
  readonly time: Date;
}

export interface DssWriteSummary {
  /** Streams added by this update, by kind. */
  readonly added: { readonly certificates: number; readonly ocsps: number; readonly crls: number };
  /** Items in the DSS after the update, by kind. */
  readonly total: { readonly certificates: number; readonly ocsps: number; readonly crls: number };
}

type Kind = 'Certs' | 'OCSPs' | 'CRLs';
const MAX_EXISTING_ITEM = 64 * 1024 * 1024;

const digest = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/** Streams by content, shared by the arrays and the VRI entries of one update. */
class StreamTable {
  private readonly byDigest = new Map<string, PdfRef>();
  readonly added = { Certs: 0, OCSPs: 0, CRLs: 0 };

  constructor(private readonly update: IncrementalUpdate) {}

  know(der: Uint8Array, ref: PdfRef): void {
    const key = digest(der);
    if (!this.byDigest.has(key)) this.byDigest.set(key, ref);
  }

  refFor(der: Uint8Array, kind: Kind): PdfRef {
    const key = digest(der);
    const known = this.byDigest.get(key);
    if (known !== undefined) return known;
    const ref = this.update.allocate();
    // Flate: CRLs compress well, and every reader of a DSS decodes it.
    const dict = new PdfDict([['Filter', pdfName('FlateDecode')]]);
    this.update.set(ref, PdfStream.fromBytes(dict, deflateSync(der)));
    this.byDigest.set(key, ref);
    this.added[kind]++;
    return ref;
  }
}

/** The references of an existing array (direct or indirect), and what each stream holds. */
async function existingItems(
  reader: PdfReader,
  value: PdfValue | undefined,
  table: StreamTable,
): Promise<PdfValue[]> {
  const arr = await reader.resolve(value ?? null);
  if (!(arr instanceof PdfArray)) return [];
  const items: PdfValue[] = [];
  for (const item of arr.items) {
    items.push(item);
    if (!(item instanceof PdfRef)) continue;
    try {
      const stream = await reader.resolve(item);
      if (!(stream instanceof PdfStream)) continue;
      const data = await reader.getStreamData(stream, { decode: true, maxBytes: MAX_EXISTING_ITEM });
      if (data.remainingFilters.length === 0) table.know(new Uint8Array(data.bytes), item);
    } catch {
      // an unreadable item is kept as it is, and not reused
    }
  }
  return items;
}

function appendRefs(items: PdfValue[], refs: readonly PdfRef[]): PdfArray {
  const present = new Set(items.filter((i): i is PdfRef => i instanceof PdfRef).map((r) => r.key));
  const out = [...items];
  for (const ref of refs) {
    if (present.has(ref.key)) continue;
    present.add(ref.key);
    out.push(ref);
  }
  return new PdfArray(out);
}

/**
 * Adds `dss` to `update` (which extends the document `reader` reads): rewrites or creates the DSS
 * dictionary, and the catalog when the DSS was absent or direct.
 */
export async function writeDss(
  reader: PdfReader,
  update: IncrementalUpdate,
  dss: DssUpdate,
): Promise<DssWriteSummary> {
  const rootRef = reader.trailer.getRef('Root');
  if (rootRef === undefined) throw new KysoError('PDF_MALFORMED', 'The PDF has no document catalog.');
  const catalog = await reader.catalog();
  const current = catalog.get('DSS');
  const existing = await reader.resolve(current ?? null);
  const old = existing instanceof PdfDict ? existing : new PdfDict();
  const table = new StreamTable(update);

  const arrays: Record<Kind, PdfValue[]> = {
    Certs: await existingItems(reader, old.get('Certs'), table),
    OCSPs: await existingItems(reader, old.get('OCSPs'), table),
    CRLs: await existingItems(reader, old.get('CRLs'), table),
  };
  const refsOf = (ders: readonly Uint8Array[], kind: Kind): PdfRef[] =>
    ders.map((d) => table.refFor(d, kind));

  // VRI entries: existing ones kept, ours added (merged when a key is already there).
  const oldVri = await reader.resolve(old.get('VRI') ?? null);
  const vri = oldVri instanceof PdfDict ? oldVri.clone() : new PdfDict();
  for (const entry of dss.vri) {
    const prior = await reader.resolve(vri.get(entry.key) ?? null);
    const d = prior instanceof PdfDict ? prior.clone() : new PdfDict();
    const merge = async (
      key: 'Cert' | 'OCSP' | 'CRL',
      ders: readonly Uint8Array[],
      kind: Kind,
    ): Promise<void> => {
      if (ders.length === 0) return;
      const items = await existingItems(reader, d.get(key), table);
      d.set(key, appendRefs(items, refsOf(ders, kind)));
    };
    await merge('Cert', entry.certificates, 'Certs');
    await merge('OCSP', entry.ocsps, 'OCSPs');
    await merge('CRL', entry.crls, 'CRLs');
    d.set('TU', new PdfString(Buffer.from(pdfDate(dss.time), 'latin1')));
    vri.set(entry.key, d);
  }

  // Every stream of a VRI entry is listed in the document-wide arrays too (§5.4.2.2).
  const all = {
    Certs: [...dss.objects.certificates, ...dss.vri.flatMap((v) => v.certificates)],
    OCSPs: [...dss.objects.ocsps, ...dss.vri.flatMap((v) => v.ocsps)],
    CRLs: [...dss.objects.crls, ...dss.vri.flatMap((v) => v.crls)],
  };
  const next = old.clone();
  next.set('Type', pdfName('DSS'));
  const totals = { Certs: 0, OCSPs: 0, CRLs: 0 };
  for (const kind of ['Certs', 'OCSPs', 'CRLs'] as const) {
    const merged = appendRefs(arrays[kind], refsOf(all[kind], kind));
    totals[kind] = merged.length;
    if (merged.length > 0) next.set(kind, merged);
  }
  if (vri.size > 0) next.set('VRI', vri);

  if (current instanceof PdfRef) {
    update.set(current, next);
  } else {
    const dssRef = update.allocate();
    update.set(dssRef, next);
    update.set(rootRef, catalog.clone().set('DSS', dssRef));
  }
  return {
    added: { certificates: table.added.Certs, ocsps: table.added.OCSPs, crls: table.added.CRLs },
    total: { certificates: totals.Certs, ocsps: totals.OCSPs, crls: totals.CRLs },
  };
}
