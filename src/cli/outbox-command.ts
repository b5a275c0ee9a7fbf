// `kyso outbox list|retry|cancel|flush`: what has gone to the one-stop system and what is waiting.
// flush delivers everything due, with progress, waiting up to --wait seconds for scheduled retries;
// exit 0 when nothing is left pending or failed, 1 otherwise.
import type { Lang } from '../shared/messages.js';
import { Outbox, OUTBOX_STATES, type OutboxState } from '../signing/upload-api.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings } from './command-settings.js';
import {
  deliver,
  itemJson,
  itemLine,
  parseWait,
  progressPrinter,
  requireCredential,
  STATE_TEXT,
} from './upload-command.js';

function parseId(value: string | undefined, sub: string): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw usageError(`kyso outbox ${sub} takes an item number (see kyso outbox list), not "${value ?? ''}"`);
  }
  return n;
}

function summary(outbox: Outbox, lang: Lang): string {
  const counts = outbox.counts();
  return OUTBOX_STATES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${STATE_TEXT[lang][s]}`)
    .join(', ');
}

export async function outboxCommand(argv: string[], lang: Lang): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest, lang);
    case 'retry':
      return retry(rest, lang);
    case 'cancel':
      return cancel(rest, lang);
    case 'flush':
      return flush(rest, lang);
    default:
      throw usageError('kyso outbox takes list, retry, cancel or flush');
  }
}

function list(argv: string[], lang: Lang): number {
  const { values } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    state: { type: 'string' },
    lang: { type: 'string' },
  });
  let states: OutboxState[] | undefined;
  if (values.state !== undefined) {
    const wanted = values.state.split(',');
    const bad = wanted.find((s) => !(OUTBOX_STATES as readonly string[]).includes(s));
    if (bad !== undefined) throw usageError(`--state takes ${OUTBOX_STATES.join(', ')}, not "${bad}"`);
    states = wanted as OutboxState[];
  }
  const outbox = Outbox.open();
  try {
    const items = outbox.list(states ? { states } : {});
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ items: items.map(itemJson), counts: outbox.counts() }, null, 2)}\n`,
      );
    } else {
      for (const item of items) process.stdout.write(`${itemLine(item, lang)}\n`);
      process.stdout.write(
        items.length === 0
          ? lang === 'vi'
            ? 'Hàng đợi gửi trống.\n'
            : 'The outbox is empty.\n'
          : `${summary(outbox, lang)}\n`,
      );
    }
    return EXIT.OK;
  } finally {
    outbox.close();
  }
}

function retry(argv: string[], lang: Lang): number {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'all-failed': { type: 'boolean' }, lang: { type: 'string' } },
    true,
  );
  const outbox = Outbox.open();
  try {
    if (values['all-failed']) {
      if (positionals.length > 0) throw usageError('use an item number or --all-failed, not both');
      const n = outbox.retryAllFailed();
      process.stdout.write(
        lang === 'vi' ? `Đã đưa ${n} mục lỗi trở lại hàng đợi.\n` : `${n} failed items queued again.\n`,
      );
      return EXIT.OK;
    }
    if (positionals.length !== 1) throw usageError('kyso outbox retry takes one item number or --all-failed');
    const item = outbox.retry(parseId(positionals[0], 'retry'));
    process.stdout.write(`${itemLine(item, lang)}\n`);
    return EXIT.OK;
  } finally {
    outbox.close();
  }
}

function cancel(argv: string[], lang: Lang): number {
  const { positionals } = parseCommandArgs(argv, { lang: { type: 'string' } }, true);
  if (positionals.length !== 1) throw usageError('kyso outbox cancel takes one item number');
  const outbox = Outbox.open();
  try {
    const item = outbox.cancel(parseId(positionals[0], 'cancel'));
    process.stdout.write(`${itemLine(item, lang)}\n`);
    return EXIT.OK;
  } finally {
    outbox.close();
  }
}

async function flush(argv: string[], lang: Lang): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    wait: { type: 'string' },
    json: { type: 'boolean' },
    lang: { type: 'string' },
  });
  const waitMs = parseWait(values.wait, 30);
  const settings = await commandSettings();
  const outbox = Outbox.open();
  try {
    const pending = outbox.list({ states: ['queued', 'sending'] });
    requireCredential(
      settings,
      pending.map((i) => i.destination),
    );
    await deliver(outbox, settings, {
      waitMs,
      ...(values.json ? {} : { onEvent: progressPrinter(lang, true) }),
    });
    const counts = outbox.counts();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ counts }, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${summary(outbox, lang) || (lang === 'vi' ? 'Hàng đợi gửi trống.' : 'The outbox is empty.')}\n`,
      );
    }
    return counts.queued + counts.sending + counts.failed === 0 ? EXIT.OK : EXIT.FAILED;
  } finally {
    outbox.close();
  }
}
