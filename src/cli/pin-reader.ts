// Gets the PIN for the CLI: from standard input, from a named environment variable, or typed at the
// terminal with echo off. There is deliberately no option that takes the PIN itself: argv is
// visible to every user of the machine (ps, /proc).
import { KysoError } from '../shared/errors.js';
import { Secret } from '../shared/secret.js';

export interface PinSource {
  readonly stdin?: boolean;
  readonly env?: string;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (Buffer.concat(chunks).includes(0x0a)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
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
