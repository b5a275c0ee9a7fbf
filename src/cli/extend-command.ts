// `kyso extend FILE.pdf -o OUT.pdf [--level B-LT|B-LTA] [--tsa URL]`: long-term validation data for a
// document already signed (by Kyso or another tool), and the renewal of its archive timestamp. Also
// the revocation settings for the evidence it fetches.
import {
  describeProblems,
  extendPdf,
  revocationOptionsFromSettings,
  type ExtendPdfResult,
  type TimestampServer,
} from '../signing/long-term-api.js';
import { formatVietnamTime } from '../signing/verify-api.js';
import type { Lang } from '../shared/messages.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings, configuredIntermediates } from './command-settings.js';
import { tsaOptionsFrom, TSA_OPTIONS } from './tsa-options.js';

const LEVELS = ['B-LT', 'B-LTA'] as const;

function summary(result: ExtendPdfResult, requested: string, lang: Lang): string {
  const renew = result.renewBy === null ? '' : formatVietnamTime(new Date(result.renewBy));
  if (!result.written) {
    return lang === 'vi'
      ? `Chưa cần gia hạn: dấu thời gian lưu trữ của văn bản còn đủ hạn; hãy gia hạn trước ${renew}. Không ghi tệp nào.\n`
      : `Nothing to do yet: the archive timestamp is still good; renew it before ${renew}. No file was written.\n`;
  }
  const lines: string[] = [];
  lines.push(
    lang === 'vi'
      ? `Đã bổ sung dữ liệu kiểm tra dài hạn vào ${result.output} (mức ${result.level}, yêu cầu ${requested}).`
      : `Added long-term validation data to ${result.output} (level ${result.level}, asked ${requested}).`,
  );
  for (const s of result.signatures) {
    if (s.type !== 'signature') continue;
    lines.push(
      lang === 'vi'
        ? `  Chữ ký ${s.field}: ${s.level ?? '?'}${s.complete ? '' : ' (thiếu dữ liệu thu hồi)'}`
        : `  Signature ${s.field}: ${s.level ?? '?'}${s.complete ? '' : ' (revocation data missing)'}`,
    );
  }
  for (const t of result.timestamps) {
    lines.push(
      lang === 'vi'
        ? `  Dấu thời gian ${t.role === 'archive' ? 'lưu trữ' : 'tài liệu'} ${t.field}: ${formatVietnamTime(new Date(t.time))}`
        : `  ${t.role === 'archive' ? 'Archive' : 'Document'} timestamp ${t.field}: ${formatVietnamTime(new Date(t.time))}`,
    );
  }
  if (renew !== '') {
    lines.push(
      lang === 'vi'
        ? `  Gia hạn (kyso extend --level B-LTA) trước ${renew}.`
        : `  Renew (kyso extend --level B-LTA) before ${renew}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function extendCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      output: { type: 'string', short: 'o' },
      level: { type: 'string' },
      offline: { type: 'boolean' },
      'if-due': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
      ...TSA_OPTIONS,
    },
    true,
  );
  if (positionals.length !== 1)
    throw usageError('kyso extend takes one signed PDF: kyso extend IN.pdf -o OUT.pdf');
  if (!values.output) throw usageError('the output file is missing: -o OUT.pdf');
  const settings = await commandSettings();
  const fromArgs = tsaOptionsFrom(values);
  const proxy = settings.network.proxy;
  const viaProxy = proxy ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {};
  const tsa: TimestampServer | undefined =
    fromArgs !== undefined
      ? { retries: settings.tsa.retries, timeoutMs: settings.tsa.timeoutMs, ...viaProxy, ...fromArgs }
      : settings.tsa.url !== undefined
        ? {
            url: settings.tsa.url,
            timeoutMs: settings.tsa.timeoutMs,
            retries: settings.tsa.retries,
            ...(settings.tsa.policyOid !== undefined ? { policyOid: settings.tsa.policyOid } : {}),
            ...viaProxy,
          }
        : undefined;
  const level = values.level ?? (tsa !== undefined ? 'B-LTA' : 'B-LT');
  if (!(LEVELS as readonly string[]).includes(level))
    throw usageError(`--level takes B-LT or B-LTA, not "${level}"`);
  if (level === 'B-LTA' && tsa === undefined) {
    throw usageError('--level B-LTA needs a timestamp server: --tsa URL (or tsa.url in the settings)');
  }
  if (values['if-due'] && level !== 'B-LTA')
    throw usageError('--if-due is for renewing B-LTA: add --level B-LTA');
  const revocation = revocationOptionsFromSettings(settings);
  const intermediates = await configuredIntermediates();
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  let result: ExtendPdfResult;
  try {
    result = await extendPdf({
      input: positionals[0] as string,
      output: values.output,
      level: level as (typeof LEVELS)[number],
      revocation: {
        ...revocation,
        ...(values.offline ? { mode: 'offline' as const } : {}),
        signal: controller.signal,
      },
      extraCertificates: intermediates,
      renewBeforeDays: settings.ltv.renewBeforeDays,
      signal: controller.signal,
      ...(tsa !== undefined ? { tsa } : {}),
      ...(values.overwrite ? { overwrite: true } : {}),
      ...(values['if-due'] ? { onlyIfDue: true } : {}),
      onProgress: (p) => {
        if (p.stage === 'timestamp' && p.event.kind === 'tsa-retry') {
          process.stderr.write(
            lang === 'vi'
              ? `Thử lại máy chủ cấp dấu thời gian sau ${Math.round(p.event.delayMs / 1000)} giây (${p.event.reason})\n`
              : `Retrying the timestamp server in ${Math.round(p.event.delayMs / 1000)} s (${p.event.reason})\n`,
          );
        }
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(summary(result, level, lang));
  const reached = result.written ? result.level : level;
  if (result.written && reached !== level) {
    process.stderr.write(
      `${
        lang === 'vi'
          ? `Cảnh báo: chỉ đạt mức ${reached}; thiếu dữ liệu: ${describeProblems(result.problems) || '?'}`
          : `Warning: only ${reached} was reached; missing: ${describeProblems(result.problems) || '?'}`
      }\n`,
    );
    return EXIT.FAILED;
  }
  return EXIT.OK;
}
