// `kyso sign IN.pdf -o OUT.pdf …`: one PAdES signature with a token, a .p12 file or the demo identity.
// Visible signatures and the verifier load only for the commands that use them (--template, a seal).
import type { AppearanceRequest, AppearanceTemplate } from '../signing/appearance-api.js';
import type { Settings } from '../signing/settings.js';
import { KysoError } from '../shared/errors.js';
import { signPdf, type CertifyLevel, type PdfSignOptions, type SignProgress } from '../signing/sign-api.js';
import type { Lang } from '../shared/messages.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings } from './command-settings.js';
import { openSignerFromOptions, SIGNER_OPTIONS } from './signer-options.js';
import { tsaOptionsFrom, TSA_OPTIONS } from './tsa-options.js';
import { longTermWarnings, signingRevocationPolicy } from './signing-policy.js';

export const SIGNATURE_OPTIONS = {
  reason: { type: 'string' },
  location: { type: 'string' },
  contact: { type: 'string' },
  field: { type: 'string' },
  page: { type: 'string' },
  level: { type: 'string' },
  hash: { type: 'string' },
  pss: { type: 'boolean' },
  certify: { type: 'string' },
  repair: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  ...TSA_OPTIONS,
} as const;

/** The visible signature (Decree 30 templates); without --template the signature is invisible. */
export const APPEARANCE_OPTIONS = {
  template: { type: 'string' },
  image: { type: 'string' },
  rect: { type: 'string' },
  anchor: { type: 'string' },
  'doc-number': { type: 'string' },
  agency: { type: 'string' },
  'cert-number': { type: 'string' },
  'cert-book': { type: 'string' },
  font: { type: 'string' },
  'seal-diameter': { type: 'string' },
  'allow-unsigned-seal': { type: 'boolean' },
} as const;

export interface AppearanceOptionValues {
  template?: string;
  image?: string;
  rect?: string;
  anchor?: string;
  'doc-number'?: string;
  agency?: string;
  'cert-number'?: string;
  'cert-book'?: string;
  font?: string;
  'seal-diameter'?: string;
  'allow-unsigned-seal'?: boolean;
  field?: string;
}

/** The appearance request of the options, or undefined for an invisible signature. */
export async function appearanceRequestFrom(
  values: AppearanceOptionValues,
): Promise<AppearanceRequest | undefined> {
  const template = values.template;
  const appearanceOption = (Object.keys(APPEARANCE_OPTIONS) as (keyof AppearanceOptionValues)[]).some(
    (k) => values[k] !== undefined && values[k] !== false,
  );
  if (!appearanceOption) return undefined; // an invisible signature: the appearance code stays unloaded
  const { APPEARANCE_TEMPLATES, loadAppearanceSettings, parseDisplayRect } =
    await import('../signing/appearance-api.js');
  if (template === undefined) {
    const stray = (
      [
        'image',
        'rect',
        'anchor',
        'doc-number',
        'agency',
        'cert-number',
        'cert-book',
        'font',
        'seal-diameter',
      ] as const
    ).find((k) => values[k] !== undefined);
    if (stray !== undefined || values['allow-unsigned-seal']) {
      throw usageError(
        `--${stray ?? 'allow-unsigned-seal'} needs --template ${APPEARANCE_TEMPLATES.join('|')}`,
      );
    }
    return undefined;
  }
  if (!(APPEARANCE_TEMPLATES as readonly string[]).includes(template)) {
    throw usageError(`--template takes ${APPEARANCE_TEMPLATES.join(', ')}, not "${template}"`);
  }
  if (values.rect !== undefined && values.anchor !== undefined)
    throw usageError('choose --rect or --anchor, not both');
  if (values.field !== undefined && (values.rect !== undefined || values.anchor !== undefined)) {
    throw usageError('--field places the signature in that field: leave out --rect and --anchor');
  }
  let sealDiameterMm: number | undefined;
  if (values['seal-diameter'] !== undefined) {
    sealDiameterMm = Number(values['seal-diameter']);
    if (!Number.isFinite(sealDiameterMm) || sealDiameterMm <= 0 || sealDiameterMm > 200) {
      throw usageError(
        `--seal-diameter takes the seal's diameter in millimetres, not "${values['seal-diameter']}"`,
      );
    }
  }
  const settings = await loadAppearanceSettings();
  return {
    template: template as AppearanceTemplate,
    settings: values.font !== undefined ? { ...settings, font: values.font } : settings,
    ...(values.image !== undefined ? { image: values.image } : {}),
    ...(values.rect !== undefined ? { rect: parseDisplayRect(values.rect) } : {}),
    ...(values.anchor !== undefined ? { anchor: values.anchor } : {}),
    ...(values.field !== undefined ? { fieldName: values.field } : {}),
    ...(values['doc-number'] !== undefined ? { docNumber: values['doc-number'] } : {}),
    ...(values.agency !== undefined ? { organization: values.agency } : {}),
    ...(values['cert-number'] !== undefined || values['cert-book'] !== undefined
      ? {
          certification: {
            ...(values['cert-number'] !== undefined ? { number: values['cert-number'] } : {}),
            ...(values['cert-book'] !== undefined ? { book: values['cert-book'] } : {}),
          },
        }
      : {}),
    ...(sealDiameterMm !== undefined ? { sealDiameterMm } : {}),
    ...(values['allow-unsigned-seal'] ? { allowSealWithoutSignature: true } : {}),
  };
}

const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const CERTIFY_LEVELS: readonly CertifyLevel[] = ['no-changes', 'form-fill', 'annotations'];

export interface SignatureOptionValues {
  reason?: string;
  location?: string;
  contact?: string;
  field?: string;
  page?: string;
  level?: string;
  hash?: string;
  pss?: boolean;
  certify?: string;
  repair?: boolean;
  overwrite?: boolean;
  tsa?: string;
  'tsa-user'?: string;
  'tsa-password-env'?: string;
  'tsa-token-env'?: string;
  'tsa-timeout'?: string;
}

/** Parses the signature options shared by `kyso sign` and `kyso batch`. */
/** The timestamp server of the settings file, used when the command line names none. */
export interface TsaDefaults {
  readonly url?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly retries?: number | undefined;
  readonly policyOid?: string | undefined;
  readonly proxy?: { readonly url: string; readonly noProxy?: readonly string[] } | undefined;
}

/** The settings' TSA and network proxy as defaults for a command's --tsa options. */
export function tsaDefaultsFrom(settings: Settings): TsaDefaults {
  const proxy = settings.network.proxy;
  return { ...settings.tsa, ...(proxy ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {}) };
}

export function signOptionsFrom(
  values: SignatureOptionValues,
  tsaDefaults: TsaDefaults = {},
): PdfSignOptions {
  const hash = values.hash ?? 'sha256';
  if (!(HASHES as readonly string[]).includes(hash))
    throw usageError(`--hash takes sha256, sha384 or sha512, not "${hash}"`);
  const level = values.level ?? (values.tsa ? 'B-T' : 'B-B');
  if (level !== 'B-B' && level !== 'B-T' && level !== 'B-LT' && level !== 'B-LTA') {
    throw usageError(`--level takes B-B, B-T, B-LT or B-LTA, not "${level}"`);
  }
  // A level that needs a timestamp takes the settings' TSA when --tsa is not given.
  if (level !== 'B-B' && !values.tsa && !tsaDefaults.url) {
    throw usageError(`--level ${level} needs --tsa URL (or tsa.url in the settings)`);
  }
  let page: number | undefined;
  if (values.page !== undefined) {
    page = Number(values.page);
    if (!Number.isInteger(page) || page === 0)
      throw usageError(`--page takes a page number (1, 2, … or -1 for the last), not "${values.page}"`);
  }
  if (values.certify !== undefined && !(CERTIFY_LEVELS as readonly string[]).includes(values.certify)) {
    throw usageError(`--certify takes no-changes, form-fill or annotations, not "${values.certify}"`);
  }
  const fromArgs =
    tsaOptionsFrom(values) ?? (level !== 'B-B' && tsaDefaults.url ? { url: tsaDefaults.url } : undefined);
  const tsa = fromArgs && {
    ...fromArgs,
    ...(fromArgs.timeoutMs === undefined && tsaDefaults.timeoutMs !== undefined
      ? { timeoutMs: tsaDefaults.timeoutMs }
      : {}),
    ...(tsaDefaults.retries !== undefined ? { retries: tsaDefaults.retries } : {}),
    ...(tsaDefaults.policyOid !== undefined ? { policyOid: tsaDefaults.policyOid } : {}),
    ...(tsaDefaults.proxy !== undefined ? { proxy: tsaDefaults.proxy } : {}),
  };
  return {
    digest: hash as (typeof HASHES)[number],
    level,
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(values.location !== undefined ? { location: values.location } : {}),
    ...(values.contact !== undefined ? { contactInfo: values.contact } : {}),
    ...(values.field !== undefined ? { fieldName: values.field } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(values.pss ? { pss: true } : {}),
    ...(values.certify !== undefined ? { certify: values.certify as CertifyLevel } : {}),
    ...(values.repair ? { repair: true } : {}),
    ...(values.overwrite ? { overwrite: true } : {}),
    ...(tsa ? { tsa } : {}),
  };
}

function progressLine(p: SignProgress, lang: Lang): string | undefined {
  if (p.stage !== 'timestamp') return undefined;
  const e = p.event;
  if (e.kind === 'tsa-waiting') {
    return lang === 'vi'
      ? `Đang chờ máy chủ cấp dấu thời gian (lần ${e.attempt})…`
      : `Waiting for the timestamp server (attempt ${e.attempt})…`;
  }
  return lang === 'vi'
    ? `Thử lại sau ${Math.round(e.delayMs / 1000)} giây (${e.reason})`
    : `Retrying in ${Math.round(e.delayMs / 1000)} s (${e.reason})`;
}

export async function signCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...SIGNER_OPTIONS,
      ...SIGNATURE_OPTIONS,
      ...APPEARANCE_OPTIONS,
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 1)
    throw usageError('kyso sign takes one input PDF: kyso sign IN.pdf -o OUT.pdf');
  if (!values.output) throw usageError('the output file is missing: -o OUT.pdf');
  const input = positionals[0] as string;
  let options = signOptionsFrom(values, tsaDefaultsFrom(await commandSettings()));
  // The revocation check before signing and the B-LT/B-LTA evidence follow the settings file.
  options = { ...options, revocation: await signingRevocationPolicy() };
  // Image, font, page, box, anchor and the seal rule are checked before the PIN is asked.
  let appearance = await appearanceRequestFrom(values);
  if (appearance?.template === 'seal' && appearance.allowSealWithoutSignature !== true) {
    // Decree 30 art. 32: the agency seals only what a competent person validly signed.
    const { loadTrustStore, verifyPdf } = await import('../signing/verify-api.js');
    const report = await verifyPdf({ input, trust: await loadTrustStore(), lang });
    const existingSignatures = report.signatures
      .filter((s) => s.type === 'signature')
      .map((s) => ({ fieldName: s.field, valid: s.status === 'valid' }));
    appearance = { ...appearance, existingSignatures };
  }
  if (appearance !== undefined) {
    const { prepareAppearance } = await import('../signing/appearance-api.js');
    const prepared = await prepareAppearance(input, appearance, options.page);
    options = { ...options, page: prepared.page, appearance: prepared.appearance };
    for (const w of prepared.warnings) process.stderr.write(`${lang === 'vi' ? w.vi : w.en}\n`);
  }
  const opened = await openSignerFromOptions(values, lang);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await signPdf({
      input,
      output: values.output,
      signer: opened.signer,
      options,
      signal: controller.signal,
      onProgress: (p) => {
        const line = progressLine(p, lang);
        if (line) process.stderr.write(`${line}\n`);
      },
    });
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ ...result, signingTime: result.signingTime.toISOString() }, null, 2)}\n`,
      );
    } else {
      const who = result.signer.subjectCN ?? result.signer.subjectDN;
      process.stdout.write(
        lang === 'vi'
          ? `Đã ký ${result.output} (${who}, ${result.level}, ô ${result.fieldName}).\n`
          : `Signed ${result.output} (${who}, ${result.level}, field ${result.fieldName}).\n`,
      );
    }
    for (const line of longTermWarnings(result, lang)) process.stderr.write(`${line}\n`);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof KysoError) throw err;
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    opened.close();
  }
}
