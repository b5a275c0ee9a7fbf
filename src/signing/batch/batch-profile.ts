// A batch profile: the options every document of a batch is signed with (template, placement,
// reason, level, TSA…), saved as a JSON file that the CLI (`--profile FILE`) and the desktop app
// share. The file is input from outside: parsed field by field, unknown fields refused (a typo must
// not silently sign with other options). Credentials never go in a profile.
import { readFile } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import {
  APPEARANCE_TEMPLATES,
  parseDisplayRect,
  type AppearanceRequest,
  type AppearanceSettings,
  type AppearanceTemplate,
} from '../appearance/index.js';
import type { CertifyLevel, PdfSignOptions, SignatureLevel } from '../sign/sign-pdf.js';
import type { DigestAlgorithm } from '../cms/index.js';
import { writeFileAtomic } from '../atomic-file.js';

export const PROFILE_VERSION = 1;

export interface ProfileTsa {
  readonly url: string;
  readonly timeoutSeconds?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly policyOid?: string;
  /** Requests to the TSA at once (default 2). */
  readonly maxConcurrent?: number;
}

export interface ProfileAppearance {
  readonly template: AppearanceTemplate;
  readonly image?: string;
  /** "x,y,w,h" in points from the top-left corner of the page. */
  readonly rect?: string;
  readonly anchor?: string;
  readonly docNumber?: string;
  readonly agency?: string;
  readonly certNumber?: string;
  readonly certBook?: string;
  readonly font?: string;
  readonly sealDiameterMm?: number;
  readonly allowUnsignedSeal?: boolean;
}

export interface BatchProfile {
  readonly version: number;
  readonly name?: string;
  readonly suffix?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** Sign into this existing empty signature field. */
  readonly field?: string;
  /** 1-based; negative counts from the end. */
  readonly page?: number;
  readonly level?: SignatureLevel;
  readonly hash?: DigestAlgorithm;
  readonly pss?: boolean;
  readonly certify?: CertifyLevel;
  readonly tsa?: ProfileTsa;
  readonly appearance?: ProfileAppearance;
}

type Obj = Record<string, unknown>;

class ProfileReader {
  constructor(readonly where: string) {}

  fail(reason: string): never {
    throw new KysoError('SETTINGS_INVALID', `The batch profile ${this.where} is invalid: ${reason}`, {
      details: { reason: `${this.where}: ${reason}`, path: this.where },
    });
  }

  object(value: unknown, at: string, allowed: readonly string[]): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${at} must be an object`);
    const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) this.fail(`unknown field ${at === '' ? '' : `${at}.`}${unknown[0] ?? ''}`);
    return value as Obj;
  }

  string(o: Obj, key: string, at = key, max = 2000): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length > max)
      this.fail(`${at} must be a text of at most ${max} characters`);
    return v.normalize('NFC');
  }

  number(o: Obj, key: string, at: string, check: (n: number) => boolean, what: string): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) this.fail(`${at} must be ${what}`);
    return v;
  }

  boolean(o: Obj, key: string, at = key): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`${at} must be true or false`);
    return v;
  }

  oneOf<T extends string>(o: Obj, key: string, values: readonly T[], at = key): T | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      this.fail(`${at} must be one of ${values.join(', ')}`);
    return v as T;
  }
}

const TOP = [
  'version',
  'name',
  'suffix',
  'reason',
  'location',
  'contactInfo',
  'field',
  'page',
  'level',
  'hash',
  'pss',
  'certify',
  'tsa',
  'appearance',
] as const;
const TSA = ['url', 'timeoutSeconds', 'retries', 'retryDelayMs', 'policyOid', 'maxConcurrent'] as const;
const APPEARANCE = [
  'template',
  'image',
  'rect',
  'anchor',
  'docNumber',
  'agency',
  'certNumber',
  'certBook',
  'font',
  'sealDiameterMm',
  'allowUnsignedSeal',
] as const;

/** The object without its undefined members (exactOptionalPropertyTypes: absent, not undefined). */
const defined = <T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

/** Parses a profile (the JSON value of a profile file); SETTINGS_INVALID with the reason. */
export function parseBatchProfile(value: unknown, where = 'profile'): BatchProfile {
  const r: ProfileReader = new ProfileReader(where);
  const o = r.object(value, '', TOP);
  const version = r.number(
    o,
    'version',
    'version',
    (n) => Number.isInteger(n) && n >= 1,
    'a positive integer',
  );
  if (version !== undefined && version > PROFILE_VERSION) {
    r.fail(`version ${version} is newer than this Kyso understands (${PROFILE_VERSION})`);
  }
  const suffix = r.string(o, 'suffix', 'suffix', 100);
  if (suffix !== undefined && /[/\\\0]/.test(suffix)) r.fail('suffix must not contain / or \\');
  const page = r.number(
    o,
    'page',
    'page',
    (n) => Number.isInteger(n) && n !== 0,
    'a page number (1, 2, … or -1)',
  );

  let tsa: ProfileTsa | undefined;
  if (o['tsa'] !== undefined) {
    const t = r.object(o['tsa'], 'tsa', TSA);
    const url = r.string(t, 'url', 'tsa.url');
    if (url === undefined) r.fail('tsa.url is missing');
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      r.fail('tsa.url must be an http(s) URL');
    if (parsed.username !== '' || parsed.password !== '') r.fail('tsa.url must not hold credentials');
    const policyOid = r.string(t, 'policyOid', 'tsa.policyOid');
    if (policyOid !== undefined && !/^[0-2](\.\d+)+$/.test(policyOid)) r.fail('tsa.policyOid must be an OID');
    tsa = defined({
      url,
      timeoutSeconds: r.number(
        t,
        'timeoutSeconds',
        'tsa.timeoutSeconds',
        (n) => n > 0 && n <= 600,
        'seconds (at most 600)',
      ),
      retries: r.number(
        t,
        'retries',
        'tsa.retries',
        (n) => Number.isInteger(n) && n >= 0 && n <= 10,
        '0 to 10',
      ),
      retryDelayMs: r.number(
        t,
        'retryDelayMs',
        'tsa.retryDelayMs',
        (n) => n >= 0 && n <= 60_000,
        '0 to 60000',
      ),
      policyOid,
      maxConcurrent: r.number(
        t,
        'maxConcurrent',
        'tsa.maxConcurrent',
        (n) => Number.isInteger(n) && n >= 1 && n <= 32,
        '1 to 32',
      ),
    });
  }

  let appearance: ProfileAppearance | undefined;
  if (o['appearance'] !== undefined) {
    const a = r.object(o['appearance'], 'appearance', APPEARANCE);
    const template = r.oneOf(a, 'template', APPEARANCE_TEMPLATES, 'appearance.template');
    if (template === undefined) r.fail('appearance.template is missing');
    const rect = r.string(a, 'rect', 'appearance.rect');
    if (rect !== undefined) {
      try {
        parseDisplayRect(rect);
      } catch {
        r.fail('appearance.rect must be "x,y,w,h" in points');
      }
    }
    const anchor = r.string(a, 'anchor', 'appearance.anchor');
    if (rect !== undefined && anchor !== undefined) r.fail('appearance: choose rect or anchor, not both');
    appearance = defined({
      template,
      image: r.string(a, 'image', 'appearance.image'),
      rect,
      anchor,
      docNumber: r.string(a, 'docNumber', 'appearance.docNumber'),
      agency: r.string(a, 'agency', 'appearance.agency'),
      certNumber: r.string(a, 'certNumber', 'appearance.certNumber'),
      certBook: r.string(a, 'certBook', 'appearance.certBook'),
      font: r.string(a, 'font', 'appearance.font'),
      sealDiameterMm: r.number(
        a,
        'sealDiameterMm',
        'appearance.sealDiameterMm',
        (n) => n > 0 && n <= 200,
        'millimetres (0 to 200)',
      ),
      allowUnsignedSeal: r.boolean(a, 'allowUnsignedSeal', 'appearance.allowUnsignedSeal'),
    });
  }

  const level = r.oneOf(o, 'level', ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const);
  if (level !== undefined && level !== 'B-B' && tsa === undefined) r.fail(`level ${level} needs tsa.url`);
  return defined({
    version: version ?? PROFILE_VERSION,
    name: r.string(o, 'name', 'name', 200),
    suffix,
    reason: r.string(o, 'reason'),
    location: r.string(o, 'location'),
    contactInfo: r.string(o, 'contactInfo'),
    field: r.string(o, 'field', 'field', 200),
    page,
    level,
    hash: r.oneOf(o, 'hash', ['sha256', 'sha384', 'sha512'] as const),
    pss: r.boolean(o, 'pss'),
    certify: r.oneOf(o, 'certify', ['no-changes', 'form-fill', 'annotations'] as const),
    tsa,
    appearance,
  });
}

/** Reads and parses a profile file: INPUT_NOT_FOUND, INPUT_UNREADABLE or SETTINGS_INVALID. */
export async function loadBatchProfile(file: string): Promise<BatchProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KysoError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `Cannot read ${file}.`, {
      details: { path: file },
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new KysoError('SETTINGS_INVALID', `The batch profile ${file} is not JSON.`, {
      details: { reason: `${file}: not JSON`, path: file },
    });
  }
  return parseBatchProfile(value, file);
}

/** Saves a profile (checked first), whole or not at all. */
export async function saveBatchProfile(file: string, profile: BatchProfile): Promise<void> {
  const checked = parseBatchProfile(JSON.parse(JSON.stringify(profile)) as unknown, file);
  // Options only, kept where the office keeps its profiles: the usual permissions.
  await writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o666 });
}

/** What a profile means for the engine: signPdf options, the appearance, the batch's TSA limit. */
export interface ProfileOptions {
  readonly options: PdfSignOptions;
  readonly appearance?: AppearanceRequest;
  readonly tsaConcurrency?: number;
  readonly suffix?: string;
}

/** The engine options of a profile; `settings` are the appearance settings (font, time format). */
export function profileOptions(profile: BatchProfile, settings?: AppearanceSettings): ProfileOptions {
  const t = profile.tsa;
  const a = profile.appearance;
  const options: PdfSignOptions = defined({
    reason: profile.reason,
    location: profile.location,
    contactInfo: profile.contactInfo,
    fieldName: profile.field,
    page: profile.page,
    level: profile.level,
    digest: profile.hash,
    pss: profile.pss,
    certify: profile.certify,
    tsa: t
      ? defined({
          url: t.url,
          timeoutMs: t.timeoutSeconds !== undefined ? t.timeoutSeconds * 1000 : undefined,
          retries: t.retries,
          retryDelayMs: t.retryDelayMs,
          policyOid: t.policyOid,
        })
      : undefined,
  });
  const appearance: AppearanceRequest | undefined = a
    ? defined({
        template: a.template,
        image: a.image,
        rect: a.rect !== undefined ? parseDisplayRect(a.rect) : undefined,
        anchor: a.anchor,
        fieldName: profile.field,
        docNumber: a.docNumber,
        organization: a.agency,
        certification:
          a.certNumber !== undefined || a.certBook !== undefined
            ? defined({ number: a.certNumber, book: a.certBook })
            : undefined,
        sealDiameterMm: a.sealDiameterMm,
        allowSealWithoutSignature: a.allowUnsignedSeal,
        settings: settings && a.font !== undefined ? { ...settings, font: a.font } : settings,
      })
    : undefined;
  return defined({ options, appearance, tsaConcurrency: t?.maxConcurrent, suffix: profile.suffix });
}
