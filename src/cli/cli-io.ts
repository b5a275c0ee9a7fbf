// How the CLI talks to people: the language, one clear error line on stderr, exit codes.
import { isKysoError, KysoError } from '../shared/errors.js';
import { messageFor, type Lang } from '../shared/messages.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INTERNAL: 70 } as const;

export function langFrom(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const wanted = option ?? env['KYSO_LANG'];
  if (wanted === undefined || wanted === '') return 'vi';
  if (wanted === 'vi' || wanted === 'en') return wanted;
  throw new KysoError('USAGE', `--lang takes vi or en, not ${wanted}.`, {
    details: { reason: `--lang ${wanted}` },
  });
}

/** The one line a failure prints: the translated message and the stable code. No stack trace. */
export function errorLine(err: unknown, lang: Lang): string {
  if (isKysoError(err)) return `kyso: ${messageFor(err.code, err.details, lang)} [${err.code}]`;
  return `kyso: ${messageFor('INTERNAL', {}, lang)} [INTERNAL]`;
}

export function exitCodeFor(err: unknown): number {
  if (!isKysoError(err)) return EXIT.INTERNAL;
  return err.code === 'USAGE' ? EXIT.USAGE : EXIT.FAILED;
}

export function usageError(reason: string): KysoError {
  return new KysoError('USAGE', reason, { details: { reason } });
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/** Exit status of a command whose reader went away, as a shell reports a process killed by SIGPIPE. */
export const EXIT_OUTPUT_CLOSED = 141;

/**
 * A reader that stops early (`kyso verify --in DIR | head -3`) closes the pipe; the next write
 * fails with EPIPE, which Node raises as an unhandled error with its stack trace. The run ends
 * quietly instead, as a command killed by SIGPIPE does; any other failure to write the output
 * (a full disk behind a redirection) gets its one error line.
 */
export function endQuietlyWhenOutputCloses(lang: Lang, stream: NodeJS.WriteStream = process.stdout): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') {
      const failure = new KysoError('OUTPUT_NOT_WRITABLE', 'The output could not be written.', {
        details: { path: 'stdout' },
        cause: err,
      });
      process.stderr.write(`${errorLine(failure, lang)}\n`);
    }
    process.exit(err.code === 'EPIPE' ? EXIT_OUTPUT_CLOSED : EXIT.FAILED);
  });
}
