// The document to sign or extend must exist and be a readable file, checked before anything else
// (a token login, a network request) so the user hears about a wrong path first.
import { stat } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';

export async function assertReadableInput(input: string): Promise<void> {
  try {
    const st = await stat(input);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new KysoError('INPUT_NOT_FOUND', `${input} does not exist.`, { details: { path: input } });
    }
    throw new KysoError('INPUT_UNREADABLE', `${input} cannot be read.`, {
      details: { path: input },
      cause: err,
    });
  }
}
