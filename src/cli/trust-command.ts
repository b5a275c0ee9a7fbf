// `kyso trust`: the trust list for IT staff. `list` shows the built-in Vietnamese roots and the
// managed store (<KYSO_HOME>/trust) with fingerprints, validity and state; `add` shows what a file
// holds and asks before adding it; `remove` takes a managed certificate out; `disable` / `enable`
// switch an entry (built-in ones included) off and on for this machine.
import { createInterface } from 'node:readline';
import { KysoError } from '../shared/errors.js';
import type { Lang } from '../shared/messages.js';
import { kysoHome } from '../signing/home.js';
import {
  addTrustedCertificates,
  assertTrustStoreWritable,
  previewTrustedCertificates,
  removeManagedTrustEntry,
  setTrustEntryEnabled,
  trustInventory,
  type TrustedCertificate,
  type TrustListEntry,
} from '../signing/verify-api.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';

const USAGE =
  'kyso trust list [--json] | add FILE... [--yes] | remove SHA256 | disable SHA256 | enable SHA256';

const day = (iso: string): string => iso.slice(0, 10);

function describe(c: TrustedCertificate, lang: Lang): string {
  const kind = c.anchor
    ? lang === 'vi'
      ? 'gốc (tin cậy)'
      : 'root (trust anchor)'
    : lang === 'vi'
      ? 'trung gian (chỉ để dựng chuỗi)'
      : 'intermediate (path building only)';
  return lang === 'vi'
    ? `  Chủ thể:   ${c.subject}\n  SHA-256:   ${c.fingerprint}\n  Hiệu lực:  ${day(c.notBefore)} → ${day(c.notAfter)}\n  Loại:      ${kind}\n`
    : `  Subject:   ${c.subject}\n  SHA-256:   ${c.fingerprint}\n  Valid:     ${day(c.notBefore)} → ${day(c.notAfter)}\n  Kind:      ${kind}\n`;
}

function listText(entries: readonly TrustListEntry[], lang: Lang): string {
  const lines: string[] = [];
  for (const origin of ['builtin', 'managed'] as const) {
    const group = entries.filter((e) => e.origin === origin);
    lines.push(
      origin === 'builtin'
        ? lang === 'vi'
          ? `Danh sách tin cậy có sẵn (${group.length}; đối chiếu dấu vân tay tại ca.gov.vn, rootca.gov.vn):`
          : `Built-in trust list (${group.length}; check fingerprints at ca.gov.vn, rootca.gov.vn):`
        : lang === 'vi'
          ? `Kho tin cậy do quản trị thêm (${group.length}):`
          : `Managed trust store (${group.length}):`,
    );
    for (const e of group) {
      const state = e.enabled ? (lang === 'vi' ? 'bật' : 'on') : lang === 'vi' ? 'TẮT' : 'OFF';
      const kind = e.anchor
        ? lang === 'vi'
          ? 'gốc'
          : 'root'
        : lang === 'vi'
          ? 'trung gian'
          : 'intermediate';
      lines.push(
        `  [${state}] ${e.fingerprint}  ${day(e.notBefore)} → ${day(e.notAfter)}  ${kind}  ${e.name ?? e.subject}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line from standard input (the answer to a question), or null at its end. */
function readAnswer(): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(null);
    });
  });
}

export async function trustCommand(argv: string[], lang: Lang): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(
    rest,
    { json: { type: 'boolean' }, yes: { type: 'boolean' }, lang: { type: 'string' } },
    true,
  );
  // A locked store (settings.json's trust.locked, or the machine policy) refuses every change before
  // anything is shown or asked; the engine's writers check it again.
  if (action === 'add' || action === 'remove' || action === 'disable' || action === 'enable') {
    await assertTrustStoreWritable(kysoHome(), `kyso trust ${action}`);
  }
  switch (action) {
    case 'list': {
      if (positionals.length > 0) throw usageError(`kyso trust list takes no file (${USAGE})`);
      const entries = await trustInventory();
      process.stdout.write(values.json ? `${JSON.stringify(entries, null, 2)}\n` : listText(entries, lang));
      return EXIT.OK;
    }
    case 'add': {
      if (positionals.length === 0) throw usageError(`kyso trust add takes certificate files (${USAGE})`);
      const preview = await previewTrustedCertificates(positionals);
      process.stdout.write(
        lang === 'vi'
          ? `Sẽ thêm ${preview.length} chứng thư:\n`
          : `About to add ${preview.length} certificate(s):\n`,
      );
      for (const c of preview) process.stdout.write(describe(c, lang));
      if (values.yes !== true) {
        process.stdout.write(
          lang === 'vi'
            ? 'Đã đối chiếu SHA-256 với nơi công bố chính thức? Thêm vào kho tin cậy? [c/K] '
            : 'Checked the SHA-256 against the official publication? Add to the trust store? [y/N] ',
        );
        const answer = (await readAnswer())?.trim().toLowerCase() ?? '';
        if (!['y', 'yes', 'c', 'có', 'co'].includes(answer)) {
          throw new KysoError('TRUST_ADD_DECLINED', 'The addition was not confirmed.');
        }
      }
      const added = await addTrustedCertificates(positionals);
      process.stdout.write(
        lang === 'vi'
          ? `Đã thêm ${added.length} chứng thư vào kho tin cậy.\n`
          : `Added ${added.length} certificate(s) to the trust store.\n`,
      );
      return EXIT.OK;
    }
    case 'remove': {
      const entry = await removeManagedTrustEntry(oneFingerprint(positionals, 'remove'));
      process.stdout.write(
        lang === 'vi'
          ? `Đã xóa ${entry.fingerprint} (${entry.subject}).\n`
          : `Removed ${entry.fingerprint} (${entry.subject}).\n`,
      );
      return EXIT.OK;
    }
    case 'disable':
    case 'enable': {
      const on = action === 'enable';
      const entry = await setTrustEntryEnabled(oneFingerprint(positionals, action), on);
      const what = entry.name ?? entry.subject;
      process.stdout.write(
        lang === 'vi'
          ? `Đã ${on ? 'bật' : 'tắt'} ${entry.fingerprint} (${what}).\n`
          : `${on ? 'Enabled' : 'Disabled'} ${entry.fingerprint} (${what}).\n`,
      );
      return EXIT.OK;
    }
    default:
      throw usageError(action === undefined ? USAGE : `unknown kyso trust action "${action}" (${USAGE})`);
  }
}

function oneFingerprint(positionals: readonly string[], action: string): string {
  if (positionals.length !== 1) throw usageError(`kyso trust ${action} takes one SHA-256 fingerprint`);
  return positionals[0] as string;
}
