// `kyso bridge`: the local bridge for web one-stop systems, headless. Before each signing it prints
// what will be signed (site, file, pages, certificate, where it goes) and reads y or N from standard
// input: anything else, or the end of input, is no. Because standard input carries those answers,
// the PIN comes from --pin-env NAME or the terminal, never --pin-stdin; it is asked once, at start.
import readline from 'node:readline';
import {
  heldSignerIdentity,
  startBridge,
  type BridgeEvent,
  type BridgeMode,
  type ConfirmationRequest,
} from '../signing/bridge-api.js';
import type { Lang } from '../shared/messages.js';
import { messageFor } from '../shared/messages.js';
import { isErrorCode } from '../shared/errors.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings } from './command-settings.js';
import { openSignerFromOptions, SIGNER_OPTIONS } from './signer-options.js';
import { signOptionsFrom, tsaDefaultsFrom } from './sign-command.js';
import { signingRevocationPolicy } from './signing-policy.js';
import { TSA_OPTIONS } from './tsa-options.js';

const BRIDGE_OPTIONS = {
  ...SIGNER_OPTIONS,
  ...TSA_OPTIONS,
  reason: { type: 'string' },
  location: { type: 'string' },
  contact: { type: 'string' },
  level: { type: 'string' },
  hash: { type: 'string' },
  pss: { type: 'boolean' },
  image: { type: 'string' },
  'seal-image': { type: 'string' },
  agency: { type: 'string' },
  'issued-template': { type: 'string' },
  port: { type: 'string' },
  plain: { type: 'boolean' },
  'also-plain': { type: 'boolean' },
  'allow-origin': { type: 'string', multiple: true },
  'max-file-mb': { type: 'string' },
  lang: { type: 'string' },
} as const;

/**
 * Answers typed on standard input. A line that arrives while no question is open is dropped, so a
 * "y" typed (or piped) ahead of time can never approve a request nobody has seen yet.
 */
class AnswerReader {
  #waiting: ((line: string | null) => void) | undefined;
  #ended = false;

  constructor(input: NodeJS.ReadableStream, onDropped: () => void) {
    const lines = readline.createInterface({ input, terminal: false });
    lines.on('line', (line) => {
      const w = this.#waiting;
      this.#waiting = undefined;
      if (w) w(line);
      else onDropped();
    });
    lines.on('close', () => {
      this.#ended = true;
      this.#waiting?.(null);
      this.#waiting = undefined;
    });
  }

  /** The next line, or null at the end of input or when `signal` aborts. */
  next(signal: AbortSignal): Promise<string | null> {
    if (this.#ended || signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.#waiting = undefined;
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting = (line) => {
        signal.removeEventListener('abort', onAbort);
        resolve(line);
      };
    });
  }
}

const ENDPOINT_VI: Readonly<Record<string, string>> = {
  SignApproved: 'ký duyệt (người có thẩm quyền)',
  SignIssued: 'ký ban hành (văn thư, chữ ký cơ quan)',
  SignAppendix: 'ký tệp đính kèm (chữ ký cơ quan)',
  SignCopy: 'ký chứng thực bản sao',
};

function confirmationText(r: ConfirmationRequest, lang: Lang): string {
  const kb = Math.max(1, Math.round(r.bytes / 1024));
  const lines =
    lang === 'vi'
      ? [
          `Yêu cầu ký số #${r.id} từ trang ${r.origin}: ${ENDPOINT_VI[r.endpoint] ?? r.endpoint} (${r.endpoint})`,
          `  Văn bản:   ${r.fileName} (${r.pages} trang, ${kb} KB)`,
          ...(r.docNumber !== undefined ? [`  Số:        ${r.docNumber}`] : []),
          ...(r.issuedDate !== undefined ? [`  Ngày:      ${r.issuedDate}`] : []),
          `  Chứng thư: ${r.certificate.subject} (hết hạn ${r.certificate.notAfter.toISOString().slice(0, 10)})`,
          `  Gửi về:    ${r.uploadTo}`,
          'Ký văn bản này? Gõ y để đồng ý, N để từ chối [y/N]: ',
        ]
      : [
          `Signing request #${r.id} from ${r.origin}: ${r.endpoint}`,
          `  Document:    ${r.fileName} (${r.pages} page${r.pages === 1 ? '' : 's'}, ${kb} KB)`,
          ...(r.docNumber !== undefined ? [`  Number:      ${r.docNumber}`] : []),
          ...(r.issuedDate !== undefined ? [`  Issued:      ${r.issuedDate}`] : []),
          `  Certificate: ${r.certificate.subject} (expires ${r.certificate.notAfter.toISOString().slice(0, 10)})`,
          `  Sent to:     ${r.uploadTo}`,
          'Sign this document? [y/N]: ',
        ];
  return lines.join('\n');
}

function eventLine(e: BridgeEvent, lang: Lang): string | undefined {
  const vi = lang === 'vi';
  switch (e.kind) {
    case 'queued':
      return e.ahead > 0
        ? vi
          ? `#${e.id}: đang chờ (${e.ahead} yêu cầu trước)`
          : `#${e.id}: waiting (${e.ahead} ahead)`
        : undefined;
    case 'signed':
      return vi ? `#${e.id}: đã ký ${e.fileName}` : `#${e.id}: signed ${e.fileName}`;
    case 'delivered':
      return vi
        ? `#${e.id}: đã gửi, hệ thống lưu là ${e.fileName}`
        : `#${e.id}: delivered, stored as ${e.fileName}`;
    case 'kept':
      return vi ? `#${e.id}: chưa gửi được, giữ tại ${e.path}` : `#${e.id}: not delivered, kept at ${e.path}`;
    case 'failed':
      return `#${e.id}: ${isErrorCode(e.code) ? messageFor(e.code, {}, lang) : e.code} [Status ${e.status}]`;
    case 'refused':
      return vi
        ? `Từ chối kết nối (${e.reason}): ${e.origin ?? e.host ?? ''}`
        : `Connection refused (${e.reason}): ${e.origin ?? e.host ?? ''}`;
    case 'request':
      return undefined;
  }
}

export async function bridgeCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, BRIDGE_OPTIONS);
  if (positionals.length > 0) throw usageError('kyso bridge takes no file arguments');
  if (values['pin-stdin']) {
    throw usageError(
      'kyso bridge reads confirmations from standard input: give the PIN with --pin-env NAME or at the terminal',
    );
  }
  if (values.plain && values['also-plain']) throw usageError('choose --plain or --also-plain, not both');
  const settings = await commandSettings();
  let port = settings.bridge.port;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port takes a port number, not "${values.port}"`);
  }
  const mode: BridgeMode = values.plain ? 'plain' : values['also-plain'] ? 'both' : settings.bridge.mode;
  let maxFileMB = settings.bridge.maxFileMB;
  if (values['max-file-mb'] !== undefined) {
    maxFileMB = Number(values['max-file-mb']);
    if (!Number.isFinite(maxFileMB) || maxFileMB <= 0 || maxFileMB > 2048) {
      throw usageError(`--max-file-mb takes a size in MiB, not "${values['max-file-mb']}"`);
    }
  }
  const issuedTemplate = values['issued-template'] ?? settings.bridge.issuedTemplate;
  if (issuedTemplate !== 'text' && issuedTemplate !== 'seal') {
    throw usageError(`--issued-template takes text or seal, not "${issuedTemplate}"`);
  }
  const allowedOrigins = [...settings.bridge.allowedOrigins, ...(values['allow-origin'] ?? [])];
  if (allowedOrigins.length === 0) {
    throw usageError(
      'no site is allowed: give --allow-origin https://motcua.example.gov.vn (or bridge.allowedOrigins in the settings)',
    );
  }
  const options = {
    ...signOptionsFrom(values, tsaDefaultsFrom(settings)),
    revocation: await signingRevocationPolicy(),
  };

  const opened = await openSignerFromOptions(values, lang);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const answers = new AnswerReader(process.stdin, () =>
    say(lang === 'vi' ? '(bỏ qua dòng nhập: chưa có câu hỏi nào)' : '(input ignored: no question is open)'),
  );
  let bridge;
  try {
    bridge = await startBridge({
      identity: heldSignerIdentity(opened.signer),
      allowedOrigins,
      port,
      mode,
      lang,
      maxFileBytes: Math.round(maxFileMB * 1024 * 1024),
      uploadField: settings.bridge.uploadField,
      profile: {
        options,
        issuedTemplate,
        ...(values.image !== undefined ? { signatureImage: values.image } : {}),
        ...(values['seal-image'] !== undefined ? { sealImage: values['seal-image'] } : {}),
        ...(values.agency !== undefined ? { organization: values.agency } : {}),
      },
      confirm: async (request, signal) => {
        process.stdout.write(confirmationText(request, lang));
        const line = await answers.next(signal);
        if (line === null) process.stdout.write('\n');
        const yes = line !== null && /^\s*(y|yes)\s*$/i.test(line);
        say(
          yes
            ? lang === 'vi'
              ? `#${request.id}: đồng ý`
              : `#${request.id}: yes`
            : lang === 'vi'
              ? `#${request.id}: từ chối`
              : `#${request.id}: no`,
        );
        return yes;
      },
      onEvent: (e) => {
        const line = eventLine(e, lang);
        if (line !== undefined) say(line);
      },
    });
  } catch (err) {
    opened.close();
    throw err;
  }
  const schemes = mode === 'plain' ? ['ws'] : mode === 'both' ? ['wss', 'ws'] : ['wss'];
  const where = schemes.map((s) => `${s}://127.0.0.1:${bridge.port}`).join(', ');
  process.stdout.write(
    lang === 'vi'
      ? `Kyso bridge đang nghe tại ${where}\n  Trang được phép: ${allowedOrigins.join(', ')}\n`
      : `Kyso bridge listening on ${where}\n  Allowed sites: ${allowedOrigins.join(', ')}\n`,
  );
  if (bridge.certificate) {
    const c = bridge.certificate;
    process.stdout.write(
      lang === 'vi'
        ? `  Chứng thư TLS${c.created ? ' (mới tạo)' : ''}: ${c.caPath}\n  SHA-256: ${c.caFingerprint}\n`
        : `  TLS certificate${c.created ? ' (new)' : ''}: ${c.caPath}\n  SHA-256: ${c.caFingerprint}\n`,
    );
  }
  const running = bridge;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  opened.close();
  return EXIT.OK;
}
