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
