// The default name of a signed copy: next to the original as `<name>-da-ky.pdf` ("đã ký", signed),
// then `-da-ky-2.pdf`, `-da-ky-3.pdf`… so that an earlier signed copy is never overwritten silently.
import { stat } from 'node:fs/promises';
import path from 'node:path';

const SUFFIX = '-da-ky';

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function suggestedOutput(input: string): Promise<string> {
  const dir = path.dirname(input);
  const ext = path.extname(input);
  const stem = path.basename(input, ext);
  const extension = ext.toLowerCase() === '.pdf' ? ext : '.pdf';
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${stem}${SUFFIX}${n === 1 ? '' : `-${n}`}${extension}`);
    if (!(await exists(candidate))) return candidate;
  }
  // A thousand signed copies: let the user choose (the save dialog asks before overwriting).
  return path.join(dir, `${stem}${SUFFIX}${extension}`);
}
