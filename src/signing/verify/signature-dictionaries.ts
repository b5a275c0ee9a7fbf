// Finds the signatures of a document through its signature dictionaries (ISO 32000-1 §12.7.4.5,
// §12.8.1), never by scanning bytes: the /V of every signature field of the AcroForm (kids
// included) and of signature widgets that hang on pages without being in the form (viewers show
// those too, so an attacker may hide a signature there).
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfString,
  decodeTextString,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';
import { isKysoError } from '../../shared/errors.js';
import { parsePdfDate } from '../pdf/index.js';

export type DocMdpPermission = 1 | 2 | 3;

export interface FieldLock {
  readonly action: 'All' | 'Include' | 'Exclude';
  readonly fields: readonly string[];
}

export interface SignatureDictionary {
  /** Fully qualified name of the field. */
  readonly field: string;
  readonly fieldRef: PdfRef | null;
  /** The signature dictionary's reference, or null when it is direct in the field. */
  readonly sigRef: PdfRef | null;
  readonly dict: PdfDict;
  readonly type: 'signature' | 'document-timestamp';
  readonly filter: string | null;
  readonly subFilter: string | null;
  /** The /ByteRange numbers as written; null when absent or not an array of integers. */
  readonly byteRange: readonly number[] | null;
  /** The /Contents bytes; null when absent or not a string. */
  readonly contents: Uint8Array | null;
  /** The raw /M and its value. */
  readonly claimedTimeText: string | undefined;
  readonly claimedTime: Date | undefined;
  readonly name: string | undefined;
  readonly reason: string | undefined;
  readonly location: string | undefined;
  /** DocMDP transform parameters: this is a certification signature. */
  readonly docMdp: DocMdpPermission | undefined;
  /** FieldMDP transform parameters: the fields this signature locks. */
  readonly fieldLock: FieldLock | undefined;
}

async function text(reader: PdfReader, v: PdfValue | undefined): Promise<string | undefined> {
  const r = await reader.resolve(v ?? null);
  return r instanceof PdfString ? decodeTextString(r) : undefined;
}

async function byteRangeOf(reader: PdfReader, v: PdfValue | undefined): Promise<number[] | null> {
  const arr = await reader.resolve(v ?? null);
  if (!(arr instanceof PdfArray)) return null;
  const out: number[] = [];
  for (const item of arr.items) {
    const n = await reader.resolve(item);
    if (!(n instanceof PdfNumber) || !Number.isSafeInteger(n.value)) return null;
    out.push(n.value);
  }
  return out;
}

async function transforms(
  reader: PdfReader,
  dict: PdfDict,
): Promise<{ docMdp: DocMdpPermission | undefined; fieldLock: FieldLock | undefined }> {
  let docMdp: DocMdpPermission | undefined;
  let fieldLock: FieldLock | undefined;
  const refs = await reader.resolve(dict.get('Reference') ?? null);
  if (!(refs instanceof PdfArray)) return { docMdp, fieldLock };
  for (const item of refs.items) {
    const ref = await reader.resolve(item);
    if (!(ref instanceof PdfDict)) continue;
    const method = ref.getName('TransformMethod');
    const params = await reader.resolve(ref.get('TransformParams') ?? null);
    const p = params instanceof PdfDict ? params : new PdfDict();
    if (method === 'DocMDP') {
      const value = await reader.resolve(p.get('P') ?? null);
      const n = value instanceof PdfNumber ? value.value : 2;
      docMdp = n === 1 || n === 3 ? n : 2;
    } else if (method === 'FieldMDP') {
      const action = p.getName('Action');
      const list = await reader.resolve(p.get('Fields') ?? null);
      const fields: string[] = [];
      if (list instanceof PdfArray) {
        for (const f of list.items) {
          const name = await text(reader, f);
          if (name !== undefined) fields.push(name);
        }
      }
      if (action === 'All' || action === 'Include' || action === 'Exclude') fieldLock = { action, fields };
    }
  }
  return { docMdp, fieldLock };
}

async function describe(
  reader: PdfReader,
  field: string,
  fieldRef: PdfRef | null,
  value: PdfValue | undefined,
): Promise<SignatureDictionary | null> {
  const dict = await reader.resolve(value ?? null);
  if (!(dict instanceof PdfDict)) return null;
  const subFilter = dict.getName('SubFilter') ?? null;
  const type =
    dict.getName('Type') === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161'
      ? 'document-timestamp'
      : 'signature';
  const contents = await reader.resolve(dict.get('Contents') ?? null);
  const claimedTimeText = await text(reader, dict.get('M'));
  const { docMdp, fieldLock } = await transforms(reader, dict);
  return {
    field,
    fieldRef,
    sigRef: value instanceof PdfRef ? value : null,
    dict,
    type,
    filter: dict.getName('Filter') ?? null,
    subFilter,
    byteRange: await byteRangeOf(reader, dict.get('ByteRange')),
    contents: contents instanceof PdfString ? new Uint8Array(contents.bytes) : null,
    claimedTimeText,
    claimedTime: claimedTimeText === undefined ? undefined : parsePdfDate(claimedTimeText),
    name: await text(reader, dict.get('Name')),
    reason: await text(reader, dict.get('Reason')),
    location: await text(reader, dict.get('Location')),
    docMdp,
    fieldLock,
  };
}

/** The fully qualified name of a widget or field by its /Parent chain. */
async function qualifiedName(reader: PdfReader, dict: PdfDict): Promise<string> {
  const parts: string[] = [];
  let current: PdfDict | null = dict;
  const seen = new Set<PdfDict>();
  for (let depth = 0; current !== null && depth < 64 && !seen.has(current); depth++) {
    seen.add(current);
    const t = await text(reader, current.get('T'));
    if (t !== undefined) parts.unshift(t);
    const parent = await reader.resolve(current.get('Parent') ?? null);
    current = parent instanceof PdfDict ? parent : null;
  }
  return parts.join('.');
}

async function inheritedFieldType(reader: PdfReader, dict: PdfDict): Promise<string | undefined> {
  let current: PdfDict | null = dict;
  for (let depth = 0; current !== null && depth < 64; depth++) {
    const ft = current.get('FT');
    if (ft instanceof PdfName) return ft.name;
    const parent = await reader.resolve(current.get('Parent') ?? null);
    current = parent instanceof PdfDict ? parent : null;
  }
  return undefined;
}

/** Signature dictionaries of the document as `reader` sees it, in form order then page order. */
export async function findSignatureDictionaries(reader: PdfReader): Promise<SignatureDictionary[]> {
  const out: SignatureDictionary[] = [];
  const seen = new Set<string>();
  const add = (s: SignatureDictionary | null): void => {
    if (s === null) return;
    const key = s.sigRef?.key ?? `field:${s.fieldRef?.key ?? s.field}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const f of await reader.fields()) {
    if (f.fieldType !== 'Sig') continue;
    add(await describe(reader, f.fullName, f.ref, f.dict.get('V')));
  }
  // Widgets on pages that the form does not list: what a viewer may still show as a signature.
  const pages = await reader.pageCount();
  for (let i = 0; i < pages; i++) {
    let page;
    try {
      page = await reader.getPage(i);
    } catch (err) {
      // A /Count that promises more pages than the tree holds: the pages that exist were seen.
      if (isKysoError(err) && err.code === 'PDF_PAGE_OUT_OF_RANGE') break;
      throw err;
    }
    const annots = await reader.resolve(page.dict.get('Annots') ?? null);
    if (!(annots instanceof PdfArray)) continue;
    for (const item of annots.items) {
      const annot = await reader.resolve(item);
      if (!(annot instanceof PdfDict) || annot.getName('Subtype') !== 'Widget') continue;
      if ((await inheritedFieldType(reader, annot)) !== 'Sig') continue;
      // The value sits on the field: the widget itself (merged) or one of its parents.
      let holder: PdfDict | null = annot;
      let holderRef: PdfRef | null = item instanceof PdfRef ? item : null;
      for (let depth = 0; holder !== null && !holder.has('V') && depth < 64; depth++) {
        const parentValue: PdfValue | undefined = holder.get('Parent');
        const parent = await reader.resolve(parentValue ?? null);
        holderRef = parentValue instanceof PdfRef ? parentValue : null;
        holder = parent instanceof PdfDict ? parent : null;
      }
      if (holder === null) continue;
      add(await describe(reader, await qualifiedName(reader, holder), holderRef, holder.get('V')));
    }
  }
  return out;
}

/** The certification signature's DocMDP permission as the catalog's /Perms names it. */
export async function certificationSignatureRef(reader: PdfReader): Promise<PdfRef | null> {
  const perms = await reader.resolve((await reader.catalog()).get('Perms') ?? null);
  if (!(perms instanceof PdfDict)) return null;
  const docMdp = perms.get('DocMDP');
  return docMdp instanceof PdfRef ? docMdp : null;
}
