// The AcroForm field tree: terminal fields with their fully qualified names (partial names joined
// with '.') and their widget annotations. Loops and absurd depth end the walk instead of hanging it.
import { KysoError } from '../../shared/errors.js';
import { PdfArray, PdfDict, PdfName, PdfRef, PdfString, decodeTextString } from './objects.js';
import type { Resolver } from './page-tree.js';

export interface PdfWidget {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
}

export interface PdfField {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
  /** Partial names (/T) of the field and its ancestors joined with '.'. */
  readonly fullName: string;
  /** /FT, inherited from ancestors: 'Sig', 'Tx', 'Btn', 'Ch', or null when none says. */
  readonly fieldType: string | null;
  /** The widget annotations: the field itself when field and widget are merged in one dict. */
  readonly widgets: readonly PdfWidget[];
}

const MAX_DEPTH = 64;
const MAX_FIELDS = 100_000;

/** All terminal fields of the form, in tree order. */
export async function collectFields(r: Resolver, acroForm: PdfDict): Promise<PdfField[]> {
  const out: PdfField[] = [];
  const visited = new Set<string>();
  const fields = await r.resolve(acroForm.get('Fields'));
  if (!(fields instanceof PdfArray)) return out;

  const walk = async (
    items: readonly unknown[],
    parentName: string,
    parentType: string | null,
    depth: number,
  ): Promise<void> => {
    if (depth > MAX_DEPTH)
      throw new KysoError('PDF_MALFORMED', 'The form of the PDF file nests fields too deeply.');
    for (const item of items) {
      if (!(item instanceof PdfRef) || visited.has(item.key)) continue; // loops and direct dicts: skip
      visited.add(item.key);
      const dict = await r.resolve(item);
      if (!(dict instanceof PdfDict)) continue;
      const t = await r.resolve(dict.get('T'));
      const partial = t instanceof PdfString ? decodeTextString(t) : null;
      const fullName =
        partial === null ? parentName : parentName === '' ? partial : `${parentName}.${partial}`;
      const ftValue = await r.resolve(dict.get('FT'));
      const fieldType = ftValue instanceof PdfName ? ftValue.name : parentType;
      const kidsValue = await r.resolve(dict.get('Kids'));
      const kids = kidsValue instanceof PdfArray ? kidsValue.items : [];
      // Kids without /T and without kids of their own are this field's widgets; the rest are fields.
      const widgets: PdfWidget[] = [];
      const childFields: PdfRef[] = [];
      for (const kid of kids) {
        if (!(kid instanceof PdfRef)) continue;
        const kd = await r.resolve(kid);
        if (!(kd instanceof PdfDict)) continue;
        if (!kd.has('T') && !kd.has('Kids')) widgets.push({ ref: kid, dict: kd });
        else childFields.push(kid);
      }
      if (childFields.length > 0) await walk(childFields, fullName, fieldType, depth + 1);
      if (kids.length === 0 && (dict.getName('Subtype') === 'Widget' || dict.has('Rect'))) {
        widgets.push({ ref: item, dict });
      }
      const terminal = childFields.length === 0;
      if (terminal && fullName !== '') {
        if (out.length >= MAX_FIELDS)
          throw new KysoError('PDF_TOO_LARGE', 'The form of the PDF file has too many fields.');
        out.push({ ref: item, dict, fullName, fieldType, widgets });
      }
    }
  };
  await walk(fields.items, '', null, 0);
  return out;
}

/** Names compare in NFC: a name typed on one keyboard may arrive decomposed from another. */
export function sameFieldName(a: string, b: string): boolean {
  return a.normalize('NFC') === b.normalize('NFC');
}
