// What each incremental update changed, and whether a signature made before it allows that change
// (ISO 32000-1 §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP; ETSI EN 319 142-1 §5.4 DSS and document
// timestamps). Every change is disallowed unless a rule below explains it: adding a signature into
// a field, a DSS, a document timestamp, metadata; filling forms (DocMDP P ≥ 2); annotations (P = 3).
// The comparison is object by object between two revisions' own cross-reference views, judged by
// the role each object plays (object-roles.ts): page content, fonts, resources, page tree and
// catalog changes are never allowed. This catches incremental saving attacks and the shadow
// attacks (hidden content revealed by swapping an object, a font, an XObject or an OCG state).
import { PdfArray, PdfDict, PdfRef, type PdfReader, type PdfValue, type XrefEntry } from '../pdf/index.js';
import { documentRoles, type DocumentRoles, type Role } from './object-roles.js';
import { sameDirectValue, sameObject } from './pdf-value-equality.js';
import type { ChangeKind } from './verification-report.js';

/** The least DocMDP permission under which a change is allowed. */
export type Requirement = 'always' | 'signing' | 'form-fill' | 'annotations' | 'never';

export interface ChangeFact {
  /** 1-based revision that made the change. */
  readonly revision: number;
  readonly kind: ChangeKind;
  readonly requirement: Requirement;
  /** What changed, in the document's words: a field name, "page 2 /Contents", "/OpenAction". */
  readonly subject: string;
  /** The field concerned, for FieldMDP locks. */
  readonly field?: string;
  readonly objects: readonly number[];
}

const SIGNED_FIELD_KEYS = new Set(['V', 'AP', 'AS', 'F', 'MK', 'DA', 'Lock', 'SV']);
const FORM_FILL_KEYS = new Set(['V', 'AS', 'AP', 'I', 'RV']);

class FactList {
  private readonly facts = new Map<string, { fact: ChangeFact; objects: Set<number> }>();

  constructor(private readonly revision: number) {}

  add(
    kind: ChangeKind,
    requirement: Requirement,
    subject: string,
    objects: readonly number[] = [],
    field?: string,
  ): void {
    const key = `${kind}|${requirement}|${subject}|${field ?? ''}`;
    const known = this.facts.get(key);
    if (known !== undefined) {
      for (const o of objects) known.objects.add(o);
      return;
    }
    const fact: ChangeFact = {
      revision: this.revision,
      kind,
      requirement,
      subject,
      objects: [],
      ...(field ? { field } : {}),
    };
    this.facts.set(key, { fact, objects: new Set(objects) });
  }

  list(): ChangeFact[] {
    return [...this.facts.values()].map(({ fact, objects }) => ({
      ...fact,
      objects: [...objects].sort((a, b) => a - b),
    }));
  }
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type !== b.type) return false;
  if (a.type === 'offset' && b.type === 'offset') return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 'compressed' && b.type === 'compressed') return a.stream === b.stream && a.index === b.index;
  return true;
}

async function objectAt(
  reader: PdfReader,
  num: number,
  entry: XrefEntry | undefined,
): Promise<PdfValue | 'unreadable'> {
  if (entry === undefined || entry.type === 'free') return null;
  try {
    return await reader.getObject(new PdfRef(num, entry.type === 'offset' ? entry.gen : 0));
  } catch {
    return 'unreadable';
  }
}

async function arrayItems(reader: PdfReader, v: PdfValue | undefined): Promise<PdfValue[]> {
  try {
    const r = await reader.resolve(v ?? null);
    return r instanceof PdfArray ? r.items : [];
  } catch {
    return [];
  }
}

const refKeys = (items: readonly PdfValue[]): string[] =>
  items.map((i) => (i instanceof PdfRef ? i.key : `direct:${JSON.stringify(String(i))}`));

/** Roles of a view, computed once. */
export class RevisionRoles {
  private cached: Promise<DocumentRoles> | null = null;
  constructor(readonly reader: PdfReader) {}
  get(): Promise<DocumentRoles> {
    this.cached ??= documentRoles(this.reader);
    return this.cached;
  }
}

interface UpdateContext {
  readonly prev: PdfReader;
  readonly cur: PdfReader;
  readonly rp: DocumentRoles;
  readonly rc: DocumentRoles;
  readonly facts: FactList;
  /** Fields signed in this update: name → document timestamp? */
  readonly newlySigned: ReadonlyMap<string, boolean>;
  /** Fields (any type) that this update added. */
  readonly newFields: ReadonlySet<string>;
}

/**
 * The changes that revision `revision` (viewed by `cur`) made to the previous revision (`prev`).
 */
export async function analyseUpdate(
  prev: RevisionRoles,
  cur: RevisionRoles,
  revision: number,
): Promise<ChangeFact[]> {
  const facts = new FactList(revision);
  const [rp, rc] = await Promise.all([prev.get(), cur.get()]);
  const newlySigned = new Map<string, boolean>();
  const newFields = new Set<string>();

  // Fields: new signatures, new fields, signatures replaced or removed.
  for (const [name, f] of rc.fields) {
    const before = rp.fields.get(name);
    if (before === undefined) newFields.add(name);
    if (f.signatureKey !== undefined && before?.signatureKey === undefined) {
      newlySigned.set(name, f.isDocumentTimestamp);
      // A field that existed before is subject to FieldMDP locks; a field created now is not.
      const lockable = before === undefined ? undefined : name;
      if (f.isDocumentTimestamp) facts.add('document-timestamp-added', 'always', name, [], lockable);
      else facts.add('signature-added', 'signing', name, [], lockable);
    } else if (before?.signatureKey !== undefined && before.signatureKey !== f.signatureKey) {
      facts.add('signature-changed', 'never', name, [], name);
    } else if (before === undefined) {
      if (f.isSignature) facts.add('signature-field-added', 'signing', name, [], name);
      else facts.add('form-changed', 'annotations', name, [], name);
    }
  }
  for (const [name, f] of rp.fields) {
    if (rc.fields.has(name)) continue;
    facts.add(f.signatureKey !== undefined ? 'signature-changed' : 'form-changed', 'never', name, [], name);
  }

  // Pages added, removed or reordered.
  const pagesBefore = rp.pages.map((p) => p.key).join(',');
  const pagesAfter = rc.pages.map((p) => p.key).join(',');
  if (pagesBefore !== pagesAfter) {
    const first = rc.pages.findIndex((p, i) => rp.pages[i]?.key !== p.key);
    const subject =
      rp.pages.length !== rc.pages.length ? `${rp.pages.length} → ${rc.pages.length}` : `page ${first + 1}`;
    facts.add('pages-changed', 'never', subject);
  }

  const ctx: UpdateContext = { prev: prev.reader, cur: cur.reader, rp, rc, facts, newlySigned, newFields };
  await compareCatalogs(ctx);
  await compareTrailers(ctx);

  const skip = new Set([rp.catalogNum, rc.catalogNum].filter((n): n is number => n !== undefined));
  const entriesPrev = prev.reader.xrefEntries();
  const entriesCur = cur.reader.xrefEntries();
  const nums = new Set<number>([...entriesCur.keys(), ...entriesPrev.keys()]);
  for (const num of nums) {
    if (skip.has(num)) continue;
    const ep = entriesPrev.get(num);
    const ec = entriesCur.get(num);
    if (sameEntry(ep, ec)) continue;
    const [pv, cv] = await Promise.all([objectAt(prev.reader, num, ep), objectAt(cur.reader, num, ec)]);
    const rolesP = rp.roles.get(num) ?? [];
    const rolesC = rc.roles.get(num) ?? [];
    if (rolesP.length === 0 && rolesC.length === 0) continue; // unreferenced: nothing shows it
    if (cv === 'unreadable' || pv === 'unreadable') {
      facts.add('object-changed', 'never', (rolesC[0] ?? rolesP[0])?.path ?? `object ${num}`, [num]);
      continue;
    }
    if (pv !== null && cv !== null && (await sameObject(pv, prev.reader, cv, cur.reader))) continue;
    if (pv === null) {
      for (const role of rolesC) judgeNew(ctx, role, num);
    } else if (cv === null) {
      for (const role of rolesP) judgeRemoved(ctx, role, num);
    } else {
      const seen = new Set<string>();
      for (const role of [...rolesP, ...rolesC]) {
        const key = `${role.kind}|${role.owner ?? ''}|${role.page ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await judgeModified(ctx, role, num, pv, cv);
      }
    }
  }
  return facts.list();
}

/** The signature-related role of a field: absorbed into "signature added", or a forbidden change. */
function judgeSignatureOwned(ctx: UpdateContext, role: Role, num: number): void {
  const owner = role.owner ?? '';
  if (ctx.newlySigned.has(owner)) return;
  const field = ctx.rc.fields.get(owner);
  if (ctx.newFields.has(owner) && field?.signatureKey === undefined) return; // a new empty field: reported
  ctx.facts.add('signature-changed', 'never', owner || role.path, [num], owner || undefined);
}

function judgeNew(ctx: UpdateContext, role: Role, num: number): void {
  switch (role.kind) {
    case 'sig-field':
    case 'sig-widget':
    case 'sig-appearance':
    case 'sig-value':
      judgeSignatureOwned(ctx, role, num);
      return;
    case 'field':
    case 'field-widget':
    case 'field-appearance':
      if (ctx.newFields.has(role.owner ?? '')) return; // the field's addition is reported
      ctx.facts.add('form-filled', 'form-fill', role.owner ?? role.path, [num], role.owner);
      return;
    case 'fields-array':
    case 'acroform':
      return; // their content is judged through the fields they list
    case 'form-resources':
      ctx.facts.add('form-changed', 'form-fill', '/AcroForm /DR', [num]);
      return;
    case 'annotation':
    case 'annotation-appearance':
      ctx.facts.add('annotation-changed', 'annotations', pageSubject(role), [num]);
      return;
    case 'page-annots':
      return; // judged with the page's /Annots
    case 'dss':
      ctx.facts.add('dss-updated', 'always', '/DSS', [num]);
      return;
    case 'metadata':
      ctx.facts.add('metadata-changed', 'always', role.path, [num]);
      return;
    case 'structure-tree':
      ctx.facts.add('structure-tree-changed', 'signing', '/StructTreeRoot', [num]);
      return;
    case 'page':
    case 'page-tree':
      ctx.facts.add('pages-changed', 'never', role.path, [num]);
      return;
    case 'page-content':
      ctx.facts.add('page-content-changed', 'never', role.path, [num]);
      return;
    case 'perms':
    case 'catalog':
      ctx.facts.add('catalog-changed', 'never', role.path, [num]);
      return;
    case 'document':
      ctx.facts.add('object-changed', 'never', role.path, [num]);
      return;
  }
}

function judgeRemoved(ctx: UpdateContext, role: Role, num: number): void {
  switch (role.kind) {
    case 'annotation':
    case 'annotation-appearance':
      ctx.facts.add('annotation-changed', 'annotations', pageSubject(role), [num]);
      return;
    case 'dss':
      ctx.facts.add('dss-updated', 'always', '/DSS', [num]);
      return;
    case 'metadata':
      ctx.facts.add('metadata-changed', 'always', role.path, [num]);
      return;
    case 'field-appearance':
      ctx.facts.add('form-filled', 'form-fill', role.owner ?? role.path, [num], role.owner);
      return;
    case 'sig-field':
    case 'sig-widget':
    case 'sig-appearance':
    case 'sig-value':
      judgeSignatureOwned(ctx, role, num);
      return;
    default:
      judgeNew(ctx, role, num); // removing anything else is as serious as adding it
  }
}

const pageSubject = (role: Role): string => (role.page !== undefined ? `page ${role.page}` : role.path);

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !sameDirectValue(a.get(k), b.get(k)));
}

async function judgeModified(
  ctx: UpdateContext,
  role: Role,
  num: number,
  pv: PdfValue,
  cv: PdfValue,
): Promise<void> {
  const owner = role.owner ?? '';
  switch (role.kind) {
    case 'sig-field':
    case 'sig-widget':
      if (ctx.newlySigned.has(owner) && pv instanceof PdfDict && cv instanceof PdfDict) {
        // Signing an existing empty field sets /V and the widget's appearance, nothing else.
        if (changedKeys(pv, cv).every((k) => SIGNED_FIELD_KEYS.has(k))) return;
      }
      ctx.facts.add('signature-changed', 'never', owner || role.path, [num], owner || undefined);
      return;
    case 'sig-appearance':
    case 'sig-value':
      judgeSignatureOwned(ctx, role, num);
      return;
    case 'field':
    case 'field-widget': {
      const keys =
        pv instanceof PdfDict && cv instanceof PdfDict
          ? changedKeys(pv, cv).filter((k) => k !== 'Kids')
          : ['?'];
      if (keys.length === 0) return; // only /Kids: judged through the fields it lists
      if (keys.every((k) => FORM_FILL_KEYS.has(k)))
        ctx.facts.add('form-filled', 'form-fill', owner, [num], owner);
      else ctx.facts.add('form-changed', 'annotations', owner, [num], owner);
      return;
    }
    case 'field-appearance':
      ctx.facts.add('form-filled', 'form-fill', owner || role.path, [num], owner || undefined);
      return;
    case 'fields-array':
      await judgeFieldList(ctx, await arrayItems(ctx.prev, pv), await arrayItems(ctx.cur, cv), num);
      return;
    case 'acroform':
      if (pv instanceof PdfDict && cv instanceof PdfDict) await judgeAcroForm(ctx, pv, cv, num);
      return;
    case 'page':
      if (pv instanceof PdfDict && cv instanceof PdfDict) await judgePage(ctx, role, pv, cv, num);
      else ctx.facts.add('page-changed', 'never', role.path, [num]);
      return;
    case 'page-annots':
      await judgeAnnotList(
        ctx,
        role.page ?? 0,
        await arrayItems(ctx.prev, pv),
        await arrayItems(ctx.cur, cv),
        num,
      );
      return;
    case 'page-tree':
      ctx.facts.add('pages-changed', 'never', role.path, [num]);
      return;
    default:
      judgeNew(ctx, role, num);
  }
}

async function judgeFieldList(
  ctx: UpdateContext,
  before: PdfValue[],
  after: PdfValue[],
  num: number,
): Promise<void> {
  const kept = new Set(refKeys(after));
  if (refKeys(before).some((k) => !kept.has(k)))
    ctx.facts.add('form-changed', 'never', '/AcroForm /Fields', [num]);
  // Additions are the new fields, reported with their names.
}

async function judgeAcroForm(ctx: UpdateContext, a: PdfDict, b: PdfDict, num: number): Promise<void> {
  for (const key of changedKeys(a, b)) {
    if (key === 'Fields') {
      await judgeFieldList(
        ctx,
        await arrayItems(ctx.prev, a.get('Fields')),
        await arrayItems(ctx.cur, b.get('Fields')),
        num,
      );
    } else if (key === 'SigFlags') {
      continue; // signing sets SignaturesExist | AppendOnly
    } else if (key === 'DR' || key === 'DA' || key === 'NeedAppearances') {
      ctx.facts.add('form-changed', 'form-fill', `/AcroForm /${key}`, [num]);
    } else {
      ctx.facts.add('form-changed', 'never', `/AcroForm /${key}`, [num]);
    }
  }
}

async function judgePage(ctx: UpdateContext, role: Role, a: PdfDict, b: PdfDict, num: number): Promise<void> {
  for (const key of changedKeys(a, b)) {
    if (key === 'Annots') {
      await judgeAnnotList(
        ctx,
        role.page ?? 0,
        await arrayItems(ctx.prev, a.get('Annots')),
        await arrayItems(ctx.cur, b.get('Annots')),
        num,
      );
    } else if (key === 'Contents' || key === 'Resources') {
      ctx.facts.add('page-content-changed', 'never', `${role.path} /${key}`, [num]);
    } else if (key === 'StructParents') {
      // Tagging: the page's entry in the structure parent tree, changed when fields are added.
      ctx.facts.add('structure-tree-changed', 'signing', `${role.path} /${key}`, [num]);
    } else if (key === 'Tabs') {
      // Tab order of the page's annotations: what the keyboard visits, not what is shown.
      ctx.facts.add('page-changed', 'signing', `${role.path} /${key}`, [num]);
    } else if (key === 'LastModified' || key === 'PieceInfo') {
      ctx.facts.add('metadata-changed', 'always', `${role.path} /${key}`, [num]);
    } else {
      ctx.facts.add('page-changed', 'never', `${role.path} /${key}`, [num]);
    }
  }
}

async function judgeAnnotList(
  ctx: UpdateContext,
  page: number,
  before: PdfValue[],
  after: PdfValue[],
  num: number,
): Promise<void> {
  const beforeKeys = refKeys(before);
  const afterKeys = new Set(refKeys(after));
  const subject = `page ${page}`;
  for (const key of beforeKeys) {
    if (afterKeys.has(key)) continue;
    const owner = ctx.rp.widgetOwner.get(key);
    if (owner !== undefined && ctx.rp.fields.get(owner)?.signatureKey !== undefined) {
      ctx.facts.add('signature-changed', 'never', owner, [num], owner);
    } else if (owner !== undefined) ctx.facts.add('form-changed', 'never', owner, [num], owner);
    else ctx.facts.add('annotation-changed', 'annotations', subject, [num]);
  }
  const kept = new Set(beforeKeys);
  for (const key of afterKeys) {
    if (kept.has(key)) continue;
    const owner = ctx.rc.widgetOwner.get(key);
    if (owner !== undefined && (ctx.newlySigned.has(owner) || ctx.newFields.has(owner))) continue; // reported by field
    if (owner !== undefined) ctx.facts.add('form-changed', 'annotations', owner, [num], owner);
    else ctx.facts.add('annotation-changed', 'annotations', subject, [num]);
  }
}

const CATALOG_ALWAYS: Readonly<Record<string, ChangeKind>> = {
  DSS: 'dss-updated',
  Metadata: 'metadata-changed',
  Extensions: 'metadata-changed',
  Version: 'metadata-changed',
};

async function compareCatalogs(ctx: UpdateContext): Promise<void> {
  const a = await ctx.prev.catalog();
  const b = await ctx.cur.catalog();
  for (const key of changedKeys(a, b)) {
    const always = CATALOG_ALWAYS[key];
    if (always !== undefined) ctx.facts.add(always, 'always', `/${key}`);
    else if (key === 'AcroForm') {
      const fa = await ctx.prev.resolve(a.get('AcroForm') ?? null);
      const fb = await ctx.cur.resolve(b.get('AcroForm') ?? null);
      await judgeAcroForm(
        ctx,
        fa instanceof PdfDict ? fa : new PdfDict(),
        fb instanceof PdfDict ? fb : new PdfDict(),
        ctx.rc.catalogNum ?? 0,
      );
    } else if (key === 'StructTreeRoot')
      ctx.facts.add('structure-tree-changed', 'signing', '/StructTreeRoot');
    else if (key === 'Pages') ctx.facts.add('pages-changed', 'never', '/Pages');
    else ctx.facts.add('catalog-changed', 'never', `/${key}`);
  }
}

async function compareTrailers(ctx: UpdateContext): Promise<void> {
  const a = ctx.prev.trailer;
  const b = ctx.cur.trailer;
  if (!sameDirectValue(a.get('Info'), b.get('Info')))
    ctx.facts.add('metadata-changed', 'always', 'document information');
  if (!sameDirectValue(a.get('Encrypt'), b.get('Encrypt')))
    ctx.facts.add('catalog-changed', 'never', '/Encrypt');
  return Promise.resolve();
}

/** The permissions that judge changes made after one signature. */
export interface ChangePolicy {
  /**
   * DocMDP P of the document's certification signature, or null when the document is not
   * certified. An uncertified document allows signatures, DSS and timestamps only: filling forms
   * or annotating a signed administrative document changes what it shows (the "replace" shadow
   * attack overlays text with a form field filled after signing).
   */
  readonly certification: 1 | 2 | 3 | null;
  /** Fields this signature locks (FieldMDP). */
  readonly lock?: { readonly action: 'All' | 'Include' | 'Exclude'; readonly fields: readonly string[] };
}

function locked(policy: ChangePolicy, field: string | undefined): boolean {
  const lock = policy.lock;
  if (lock === undefined || field === undefined) return false;
  const named = lock.fields.some((f) => f === field || field.startsWith(`${f}.`));
  return lock.action === 'All' || (lock.action === 'Include' ? named : !named);
}

/** Whether `fact` is allowed after a signature with `policy`. */
export function isAllowed(fact: ChangeFact, policy: ChangePolicy): boolean {
  const p = policy.certification;
  switch (fact.requirement) {
    case 'always':
      return true;
    case 'signing':
      // Signing a field the signature locked changes that field.
      return (p === null || p >= 2) && !locked(policy, fact.field);
    case 'form-fill':
      return p !== null && p >= 2 && !locked(policy, fact.field);
    case 'annotations':
      return p === 3 && !locked(policy, fact.field);
    case 'never':
      return false;
  }
}
