// Prepares the incremental update of a signature (ISO 32000-1 §12.7.4.5, §12.8; ETSI EN 319 142-1):
// the signature dictionary with its /ByteRange and /Contents placeholders, the field and its widget
// on the chosen page (or an existing empty field), /AcroForm with /SigFlags 3, and for a
// certification signature the DocMDP reference and /Perms. Existing objects are rewritten, never
// edited in place: the original bytes stay an exact prefix of the output.
import { KysoError } from '../../shared/errors.js';
import {
  IncrementalUpdate,
  PdfArray,
  PdfByteRangePlaceholder,
  PdfDict,
  PdfHexPlaceholder,
  PdfRef,
  PdfString,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  pdfReal,
  pdfTextString,
  type PdfField,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';
import type { DocMdpPermission } from './docmdp.js';
import { pdfDate } from '../pdf/index.js';

/** A visible appearance, drawn by the appearance module: where the widget sits and what it shows. */
export interface WidgetAppearance {
  /** The widget's /Rect in default user space of the page. */
  readonly rect: readonly [number, number, number, number];
  /** Adds the appearance objects to the update and returns the normal appearance stream's reference. */
  readonly build: (update: IncrementalUpdate) => PdfRef;
}

export interface SignatureFieldRequest {
  /** An existing empty signature field to sign into, by full name. */
  readonly fieldName?: string;
  /** 0-based page index for a new field. */
  readonly pageIndex: number;
  readonly contentsBytes: number;
  readonly subFilter: 'ETSI.CAdES.detached' | 'ETSI.RFC3161';
  readonly signingTime?: Date;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly signerName?: string;
  readonly certify?: DocMdpPermission;
  readonly appearance?: WidgetAppearance;
}

export interface PreparedSignature {
  readonly update: IncrementalUpdate;
  readonly fieldName: string;
  readonly sigRef: PdfRef;
}

const text = (s: string): PdfString => pdfTextString(s.normalize('NFC'));

async function uniqueFieldName(reader: PdfReader): Promise<string> {
  const taken = new Set((await reader.allFieldNames()).map((n) => n.toLowerCase()));
  for (let i = 1; ; i++) {
    const name = `Signature${i}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** The signature dictionary (§12.8.1, Table 252), placeholders included. */
function signatureDictionary(req: SignatureFieldRequest): PdfDict {
  const d = new PdfDict();
  d.set('Type', pdfName(req.subFilter === 'ETSI.RFC3161' ? 'DocTimeStamp' : 'Sig'));
  d.set('Filter', pdfName('Adobe.PPKLite'));
  d.set('SubFilter', pdfName(req.subFilter));
  d.set('ByteRange', new PdfByteRangePlaceholder());
  d.set('Contents', new PdfHexPlaceholder(req.contentsBytes));
  if (req.subFilter === 'ETSI.CAdES.detached') {
    if (req.signingTime) d.set('M', new PdfString(Buffer.from(pdfDate(req.signingTime), 'latin1')));
    if (req.signerName) d.set('Name', text(req.signerName));
    if (req.reason) d.set('Reason', text(req.reason));
    if (req.location) d.set('Location', text(req.location));
    if (req.contactInfo) d.set('ContactInfo', text(req.contactInfo));
  }
  if (req.certify !== undefined) {
    d.set(
      'Reference',
      pdfArray(
        pdfDict({
          Type: pdfName('SigRef'),
          TransformMethod: pdfName('DocMDP'),
          TransformParams: pdfDict({
            Type: pdfName('TransformParams'),
            P: pdfInt(req.certify),
            V: pdfName('1.2'),
          }),
        }),
      ),
    );
  }
  d.set('Prop_Build', pdfDict({ App: pdfDict({ Name: pdfName('Kyso') }) }));
  return d;
}

/** Appends `item` to an array that may be direct in `owner[key]`, indirect, or absent. */
async function appendToArray(
  reader: PdfReader,
  update: IncrementalUpdate,
  owner: PdfDict,
  key: string,
  item: PdfValue,
): Promise<PdfDict> {
  const current = owner.get(key);
  if (current instanceof PdfRef) {
    const arr = await reader.resolve(current);
    const items = arr instanceof PdfArray ? [...arr.items] : [];
    update.set(current, new PdfArray([...items, item]));
    return owner;
  }
  const items = current instanceof PdfArray ? [...current.items] : [];
  return owner.clone().set(key, new PdfArray([...items, item]));
}

export async function prepareSignature(
  reader: PdfReader,
  req: SignatureFieldRequest,
): Promise<PreparedSignature> {
  const update = new IncrementalUpdate(reader);
  const rootRef = reader.trailer.getRef('Root');
  if (!rootRef) throw new KysoError('PDF_MALFORMED', 'The PDF has no document catalog.');
  let catalog = (await reader.catalog()).clone();
  let catalogChanged = false;
  const sigRef = update.allocate();
  update.set(sigRef, signatureDictionary(req));

  let fieldName: string;
  let fieldRef: PdfRef;
  let newField = false;
  if (req.fieldName !== undefined) {
    const field: PdfField = await reader.findField(req.fieldName);
    if (field.fieldType !== 'Sig') {
      throw new KysoError('PDF_FIELD_NOT_FOUND', `The field "${req.fieldName}" is not a signature field.`, {
        details: { field: req.fieldName },
      });
    }
    if (field.dict.get('V') !== undefined && field.dict.get('V') !== null) {
      throw new KysoError('PDF_FIELD_ALREADY_SIGNED', `The field "${req.fieldName}" is already signed.`, {
        details: { field: req.fieldName },
      });
    }
    fieldName = field.fullName;
    fieldRef = field.ref;
    const fieldDict = field.dict.clone().set('V', sigRef);
    const widget = field.widgets[0];
    if (req.appearance && widget) {
      const target = widget.ref.equals(field.ref) ? fieldDict : widget.dict.clone();
      target.set('AP', pdfDict({ N: req.appearance.build(update) }));
      if (!widget.ref.equals(field.ref)) update.set(widget.ref, target);
    }
    update.set(field.ref, fieldDict);
  } else {
    newField = true;
    fieldName = await uniqueFieldName(reader);
    const page = await reader.getPage(req.pageIndex);
    fieldRef = update.allocate();
    const widget = new PdfDict();
    widget.set('Type', pdfName('Annot'));
    widget.set('Subtype', pdfName('Widget'));
    widget.set('FT', pdfName('Sig'));
    widget.set('T', text(fieldName));
    widget.set('V', sigRef);
    widget.set('F', pdfInt(4)); // Print (§12.5.3): the signature shows on paper too
    const rect = req.appearance?.rect ?? [0, 0, 0, 0];
    widget.set('Rect', pdfArray(...rect.map((n) => (Number.isInteger(n) ? pdfInt(n) : pdfReal(n)))));
    widget.set('P', page.ref);
    if (req.appearance) widget.set('AP', pdfDict({ N: req.appearance.build(update) }));
    update.set(fieldRef, widget);
    const pageDict = await appendToArray(reader, update, page.dict, 'Annots', fieldRef);
    if (pageDict !== page.dict) update.set(page.ref, pageDict);
  }

  // /AcroForm: keep every existing field, add ours, SigFlags 3 (SignaturesExist | AppendOnly).
  const acroRaw = catalog.get('AcroForm');
  if (acroRaw instanceof PdfRef) {
    const acro = await reader.resolve(acroRaw);
    let form = acro instanceof PdfDict ? acro.clone() : new PdfDict();
    if (newField) form = await appendToArray(reader, update, form, 'Fields', fieldRef);
    form.set('SigFlags', pdfInt(3));
    update.set(acroRaw, form);
  } else {
    let form = acroRaw instanceof PdfDict ? acroRaw.clone() : new PdfDict();
    if (!form.has('Fields')) form.set('Fields', new PdfArray());
    if (newField) form = await appendToArray(reader, update, form, 'Fields', fieldRef);
    form.set('SigFlags', pdfInt(3));
    const formRef = update.allocate();
    update.set(formRef, form);
    catalog = catalog.set('AcroForm', formRef);
    catalogChanged = true;
  }

  if (req.certify !== undefined) {
    const perms = await reader.resolve(catalog.get('Perms') ?? null);
    const newPerms = perms instanceof PdfDict ? perms.clone() : new PdfDict();
    newPerms.set('DocMDP', sigRef);
    catalog = catalog.set('Perms', newPerms);
    catalogChanged = true;
  }
  if (catalogChanged) update.set(rootRef, catalog);
  return { update, fieldName, sigRef };
}
