// What each object of one revision is for, found by walking the document from its catalog: page
// content and resources, the page tree, annotations and their appearances, form fields, signature
// fields and their values, the DSS, metadata. The modification analysis judges a change to an
// object by these roles: the same object can serve several, and the strictest one rules.
import { KysoError } from '../../shared/errors.js';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  decodeTextString,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';

export type RoleKind =
  | 'catalog'
  | 'page-tree'
  | 'page'
  | 'page-annots'
  | 'page-content'
  | 'annotation'
  | 'annotation-appearance'
  | 'acroform'
  | 'fields-array'
  | 'field'
  | 'field-widget'
  | 'field-appearance'
  | 'form-resources'
  | 'sig-field'
  | 'sig-widget'
  | 'sig-appearance'
  | 'sig-value'
  | 'dss'
  | 'metadata'
  | 'structure-tree'
  | 'perms'
  | 'document';

export interface Role {
  readonly kind: RoleKind;
  /** The field the object belongs to (fields, widgets, appearances, signature values). */
  readonly owner?: string;
  /** 1-based page for page objects, page content and annotations. */
  readonly page?: number;
  /** Where it was found, e.g. "page 1 /Resources /Font /F1". */
  readonly path: string;
}

export interface FieldInfo {
  readonly name: string;
  readonly ref: PdfRef;
  readonly isSignature: boolean;
  /** Key of the signature value (reference key, or "direct:<field>"), when signed. */
  readonly signatureKey: string | undefined;
  readonly isDocumentTimestamp: boolean;
}

export interface DocumentRoles {
  readonly roles: ReadonlyMap<number, readonly Role[]>;
  /** Page objects in page order. */
  readonly pages: readonly PdfRef[];
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Widget annotation reference key → owning field name. */
  readonly widgetOwner: ReadonlyMap<string, string>;
  /** Number of the catalog object (when indirect). */
  readonly catalogNum: number | undefined;
}

/** Beyond this many objects the walk gives up (a bound on time and memory for hostile files). */
const MAX_OBJECTS = 400_000;
/** Keys that point back up the tree or sideways: following them would lend one role to everything. */
const BACK_POINTERS = new Set(['Parent', 'P', 'Prev', 'Next', 'First', 'Last', 'Dest', 'Popup', 'IRT']);
const STRUCTURE_SKIP = new Set(['Pg', 'Obj', 'Stm', 'StmOwn']);

const HANDLED_CATALOG_KEYS = new Set([
  'Type',
  'Pages',
  'AcroForm',
  'DSS',
  'Metadata',
  'StructTreeRoot',
  'Perms',
  'Extensions',
  'Version',
]);

function text(v: PdfValue): string | undefined {
  return v instanceof PdfString ? decodeTextString(v) : undefined;
}

class RoleWalker {
  readonly roles = new Map<number, Role[]>();
  private count = 0;

  constructor(private readonly reader: PdfReader) {}

  addRole(ref: PdfRef, role: Role): boolean {
    const list = this.roles.get(ref.num);
    if (list === undefined) {
      if (++this.count > MAX_OBJECTS) {
        throw new KysoError('PDF_TOO_LARGE', 'The document has too many objects to analyse its changes.');
      }
      this.roles.set(ref.num, [role]);
      return true;
    }
    if (list.some((r) => r.kind === role.kind && r.owner === role.owner)) return false;
    list.push(role);
    return true;
  }

  /**
   * Marks `value` and everything it reaches with `role`. Stops at pages, the catalog and back
   * pointers so that a role stays within its own subtree.
   */
  async descend(
    value: PdfValue | undefined,
    role: Role,
    skip: ReadonlySet<string> = BACK_POINTERS,
  ): Promise<void> {
    const stack: Array<{ value: PdfValue | undefined; path: string }> = [{ value, path: role.path }];
    const visited = new Set<number>();
    while (stack.length > 0) {
      const { value: v, path } = stack.pop()!;
      let direct: PdfValue | undefined = v;
      if (v instanceof PdfRef) {
        if (visited.has(v.num)) continue;
        visited.add(v.num);
        direct = await this.reader.getObject(v);
        if (isStructural(direct)) continue;
        this.addRole(v, { ...role, path });
      }
      const dict = direct instanceof PdfStream ? direct.dict : direct instanceof PdfDict ? direct : null;
      if (dict !== null) {
        for (const [k, child] of dict.entries()) {
          if (!skip.has(k)) stack.push({ value: child, path: `${path} /${k}` });
        }
      } else if (direct instanceof PdfArray) {
        for (const child of direct.items) stack.push({ value: child, path });
      }
    }
  }
}

function isStructural(v: PdfValue): boolean {
  if (!(v instanceof PdfDict)) return false;
  const type = v.getName('Type');
  return type === 'Page' || type === 'Pages' || type === 'Catalog';
}

async function resolveDict(reader: PdfReader, v: PdfValue | undefined): Promise<PdfDict | null> {
  const r = await reader.resolve(v ?? null);
  return r instanceof PdfDict ? r : null;
}

/** Walks `reader`'s document and returns the roles of its objects. */
export async function documentRoles(reader: PdfReader): Promise<DocumentRoles> {
  const w = new RoleWalker(reader);
  const rootRef = reader.trailer.get('Root');
  const catalog = await reader.catalog();
  if (rootRef instanceof PdfRef) w.addRole(rootRef, { kind: 'catalog', path: 'catalog' });

  // Form fields first: page annotations that belong to a field are then known as widgets.
  const fields = new Map<string, FieldInfo>();
  const widgetOwner = new Map<string, string>();
  const acroValue = catalog.get('AcroForm');
  const acro = await resolveDict(reader, acroValue);
  if (acroValue instanceof PdfRef) w.addRole(acroValue, { kind: 'acroform', path: '/AcroForm' });
  if (acro !== null) {
    for (const [k, v] of acro.entries()) {
      if (k === 'Fields') {
        if (v instanceof PdfRef) w.addRole(v, { kind: 'fields-array', path: '/AcroForm /Fields' });
        const list = await reader.resolve(v);
        if (list instanceof PdfArray)
          await walkFields(reader, w, list.items, '', undefined, fields, widgetOwner, 0);
      } else if (k === 'DR') {
        await w.descend(v, { kind: 'form-resources', path: '/AcroForm /DR' });
      } else {
        await w.descend(v, { kind: 'document', path: `/AcroForm /${k}` });
      }
    }
  }

  // Pages: the tree, each page's content and resources, and its annotations.
  const pages: PdfRef[] = [];
  const pagesValue = catalog.get('Pages');
  const visitedNodes = new Set<number>();
  const walkNode = async (value: PdfValue | undefined, depth: number): Promise<void> => {
    if (!(value instanceof PdfRef) || visitedNodes.has(value.num) || depth > 64) return;
    visitedNodes.add(value.num);
    const node = await reader.getObject(value);
    if (!(node instanceof PdfDict)) return;
    const kids = await reader.resolve(node.get('Kids') ?? null);
    const isPages =
      node.getName('Type') === 'Pages' || (node.getName('Type') !== 'Page' && kids instanceof PdfArray);
    if (isPages) {
      w.addRole(value, { kind: 'page-tree', path: 'page tree' });
      for (const [k, v] of node.entries()) {
        if (k === 'Kids' || k === 'Parent' || k === 'Count' || k === 'Type') continue;
        await w.descend(v, { kind: 'page-content', path: `page tree /${k}` }); // inherited resources
      }
      if (node.get('Kids') instanceof PdfRef)
        w.addRole(node.get('Kids') as PdfRef, { kind: 'page-tree', path: 'page tree /Kids' });
      if (kids instanceof PdfArray) for (const kid of kids.items) await walkNode(kid, depth + 1);
      return;
    }
    pages.push(value);
    const n = pages.length;
    w.addRole(value, { kind: 'page', page: n, path: `page ${n}` });
    for (const [k, v] of node.entries()) {
      if (k === 'Parent' || k === 'Type') continue;
      if (k === 'Annots') {
        if (v instanceof PdfRef) w.addRole(v, { kind: 'page-annots', page: n, path: `page ${n} /Annots` });
        const annots = await reader.resolve(v);
        if (annots instanceof PdfArray) {
          for (const a of annots.items) await walkAnnotation(reader, w, a, n, widgetOwner);
        }
        continue;
      }
      await w.descend(v, { kind: 'page-content', page: n, path: `page ${n} /${k}` });
    }
  };
  await walkNode(pagesValue, 0);

  await w.descend(catalog.get('DSS'), { kind: 'dss', path: '/DSS' });
  await w.descend(catalog.get('Metadata'), { kind: 'metadata', path: '/Metadata' });
  await w.descend(reader.trailer.get('Info'), { kind: 'metadata', path: 'document information' });
  await w.descend(
    catalog.get('StructTreeRoot'),
    { kind: 'structure-tree', path: '/StructTreeRoot' },
    new Set([...BACK_POINTERS, ...STRUCTURE_SKIP]),
  );
  await w.descend(catalog.get('Perms'), { kind: 'perms', path: '/Perms' });
  await w.descend(catalog.get('Extensions'), { kind: 'metadata', path: '/Extensions' });
  for (const [k, v] of catalog.entries()) {
    if (!HANDLED_CATALOG_KEYS.has(k)) await w.descend(v, { kind: 'document', path: `/${k}` });
  }
  return {
    roles: w.roles,
    pages,
    fields,
    widgetOwner,
    catalogNum: rootRef instanceof PdfRef ? rootRef.num : undefined,
  };
}

async function walkAnnotation(
  reader: PdfReader,
  w: RoleWalker,
  value: PdfValue,
  page: number,
  widgetOwner: ReadonlyMap<string, string>,
): Promise<void> {
  if (value instanceof PdfRef && widgetOwner.has(value.key)) return; // a form widget: roles already given
  const annot = value instanceof PdfRef ? await reader.getObject(value) : value;
  if (!(annot instanceof PdfDict)) return;
  const path = `page ${page} annotation${annot.getName('Subtype') ? ` /${annot.getName('Subtype')}` : ''}`;
  if (value instanceof PdfRef) w.addRole(value, { kind: 'annotation', page, path });
  for (const [k, v] of annot.entries()) {
    if (BACK_POINTERS.has(k)) continue;
    const kind = k === 'AP' ? 'annotation-appearance' : 'annotation';
    await w.descend(v, { kind, page, path: `${path} /${k}` });
  }
}

async function walkFields(
  reader: PdfReader,
  w: RoleWalker,
  items: readonly PdfValue[],
  parentName: string,
  parentType: string | undefined,
  fields: Map<string, FieldInfo>,
  widgetOwner: Map<string, string>,
  depth: number,
  seen: Set<number> = new Set(),
): Promise<void> {
  if (depth > 64) return;
  for (const item of items) {
    if (!(item instanceof PdfRef) || seen.has(item.num)) continue;
    seen.add(item.num);
    const dict = await reader.getObject(item);
    if (!(dict instanceof PdfDict)) continue;
    const partial = text(await reader.resolve(dict.get('T') ?? null));
    const name =
      partial === undefined ? parentName : parentName === '' ? partial : `${parentName}.${partial}`;
    const ft = dict.get('FT');
    const type = ft instanceof PdfName ? ft.name : parentType;
    const isSig = type === 'Sig';
    const kidsValue = dict.get('Kids');
    const kids = await reader.resolve(kidsValue ?? null);
    // A kid without /T and without kids is a widget of this field.
    const isWidgetOnly = partial === undefined && !(kids instanceof PdfArray) && parentName !== '';
    const fieldKind = isWidgetOnly ? (isSig ? 'sig-widget' : 'field-widget') : isSig ? 'sig-field' : 'field';
    w.addRole(item, { kind: fieldKind, owner: name, path: `field ${name}` });
    if (dict.getName('Subtype') === 'Widget' || dict.has('Rect')) widgetOwner.set(item.key, name);
    if (!isWidgetOnly && !fields.has(name)) {
      const v = dict.get('V');
      const sigDict = isSig ? await resolveDict(reader, v) : null;
      fields.set(name, {
        name,
        ref: item,
        isSignature: isSig,
        signatureKey: sigDict === null ? undefined : v instanceof PdfRef ? v.key : `direct:${item.key}`,
        isDocumentTimestamp:
          sigDict !== null &&
          (sigDict.getName('Type') === 'DocTimeStamp' || sigDict.getName('SubFilter') === 'ETSI.RFC3161'),
      });
    }
    for (const [k, v] of dict.entries()) {
      if (k === 'Kids' || BACK_POINTERS.has(k)) continue;
      if (k === 'V' && isSig)
        await w.descend(v, { kind: 'sig-value', owner: name, path: `field ${name} /V` });
      else if (k === 'AP') {
        await w.descend(v, {
          kind: isSig ? 'sig-appearance' : 'field-appearance',
          owner: name,
          path: `field ${name} /AP`,
        });
      } else await w.descend(v, { kind: fieldKind, owner: name, path: `field ${name} /${k}` });
    }
    if (kidsValue instanceof PdfRef)
      w.addRole(kidsValue, { kind: 'fields-array', owner: name, path: `field ${name} /Kids` });
    if (kids instanceof PdfArray)
      await walkFields(reader, w, kids.items, name, type, fields, widgetOwner, depth + 1, seen);
  }
}
