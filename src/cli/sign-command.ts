// `kyso sign IN.pdf -o OUT.pdf …`: one PAdES signature with a token, a .p12 file or the demo identity.
import {
  KysoError,
  signPdf,
  type CertifyLevel,
  type PdfSignOptions,
  type SignProgress,
} from '../signing/index.js';
import type { Lang } from '../shared/messages.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { openSignerFromOptions, SIGNER_OPTIONS } from './signer-options.js';
import { tsaOptionsFrom, TSA_OPTIONS } from './tsa-options.js';

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
export function signOptionsFrom(values: SignatureOptionValues): PdfSignOptions {
  const hash = values.hash ?? 'sha256';
  if (!(HASHES as readonly string[]).includes(hash))
    throw usageError(`--hash takes sha256, sha384 or sha512, not "${hash}"`);
  const level = values.level ?? (values.tsa ? 'B-T' : 'B-B');
  if (level !== 'B-B' && level !== 'B-T') throw usageError(`--level takes B-B or B-T, not "${level}"`);
  if (level === 'B-T' && !values.tsa) throw usageError('--level B-T needs --tsa URL');
  let page: number | undefined;
  if (values.page !== undefined) {
    page = Number(values.page);
    if (!Number.isInteger(page) || page === 0)
      throw usageError(`--page takes a page number (1, 2, … or -1 for the last), not "${values.page}"`);
  }
  if (values.certify !== undefined && !(CERTIFY_LEVELS as readonly string[]).includes(values.certify)) {
    throw usageError(`--certify takes no-changes, form-fill or annotations, not "${values.certify}"`);
  }
  const tsa = tsaOptionsFrom(values);
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
  const options = signOptionsFrom(values);
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
    return EXIT.OK;
  } catch (err) {
    if (err instanceof KysoError) throw err;
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    opened.close();
  }
}
