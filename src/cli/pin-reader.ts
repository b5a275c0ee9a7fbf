// Gets the PIN for the CLI: from standard input, from a named environment variable, or typed at the
// terminal with echo off. There is deliberately no option that takes the PIN itself: argv is
// visible to every user of the machine (ps, /proc).
import { KysoError } from '../shared/errors.js';
import { Secret } from '../shared/secret.js';

export interface PinSource {
  readonly stdin?: boolean;
  readonly env?: string;
}

/** The first `count` lines of standard input (fewer at its end). */
async function readStdinLines(count: number): Promise<string[]> {
  const chunks: Buffer[] = [];
  let newlines = 0;
  for await (const chunk of process.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(bytes);
    for (const b of bytes) if (b === 0x0a) newlines++;
    if (newlines >= count) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/).slice(0, count);
}

async function readStdinLine(): Promise<string> {
  return (await readStdinLines(1))[0] ?? '';
}

async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return await new Promise<string>((resolve, reject) => {
    let value = '';
    const onData = (key: string): void => {
      for (const ch of key) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new KysoError('CANCELLED', 'PIN entry was cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export async function readPin(source: PinSource, prompt: string): Promise<Secret> {
  if (source.env !== undefined) {
    const value = process.env[source.env];
    if (value === undefined || value === '') {
      throw new KysoError('PIN_NOT_PROVIDED', `The environment variable ${source.env} holds no PIN.`);
    }
    return new Secret(value);
  }
  if (source.stdin) {
    const line = await readStdinLine();
    if (line === '') throw new KysoError('PIN_NOT_PROVIDED', 'No PIN on standard input.');
    return new Secret(line);
  }
  if (process.stdin.isTTY) {
    const typed = await promptHidden(prompt);
    if (typed === '') throw new KysoError('PIN_NOT_PROVIDED', 'No PIN was typed.');
    return new Secret(typed);
  }
  throw new KysoError('PIN_NOT_PROVIDED', 'No PIN given: use --pin-stdin or --pin-env NAME.');
}

/** Where `kyso tokens change-pin` reads the two PINs: two lines of stdin, two variables, or the terminal. */
export interface PinChangeSource {
  readonly stdin?: boolean;
  readonly env?: string;
  readonly newEnv?: string;
}

/**
 * The current and the new PIN. At the terminal the new PIN is typed twice and the two must match
 * (PIN_CONFIRMATION_MISMATCH); a script gives each once, on two lines of stdin or in two variables.
 */
export async function readPinChange(source: PinChangeSource): Promise<{ current: Secret; fresh: Secret }> {
  if (source.env !== undefined || source.newEnv !== undefined) {
    if (source.env === undefined || source.newEnv === undefined) {
      throw new KysoError('PIN_NOT_PROVIDED', 'Give both --pin-env NAME and --new-pin-env NAME.');
    }
    const current = await readPin({ env: source.env }, '');
    const fresh = process.env[source.newEnv];
    if (fresh === undefined || fresh === '') {
      throw new KysoError('PIN_NOT_PROVIDED', `The environment variable ${source.newEnv} holds no PIN.`);
    }
    return { current, fresh: new Secret(fresh) };
  }
  if (source.stdin) {
    const [current = '', fresh = ''] = await readStdinLines(2);
    if (current === '' || fresh === '') {
      throw new KysoError(
        'PIN_NOT_PROVIDED',
        'Standard input must hold the current PIN and the new PIN, one per line.',
      );
    }
    return { current: new Secret(current), fresh: new Secret(fresh) };
  }
  if (process.stdin.isTTY) {
    const current = await readPin({}, 'Current PIN / PIN hiện tại: ');
    const fresh = await readPin({}, 'New PIN / PIN mới: ');
    const again = await readPin({}, 'New PIN again / Nhập lại PIN mới: ');
    if (again.reveal() !== fresh.reveal()) {
      throw new KysoError('PIN_CONFIRMATION_MISMATCH', 'The two entries of the new PIN differ.');
    }
    return { current, fresh };
  }
  throw new KysoError(
    'PIN_NOT_PROVIDED',
    'No PIN given: use --pin-stdin or --pin-env NAME --new-pin-env NAME.',
  );
}
