// The default name of a signed copy: next to the original (or in the output folder of the settings'
// "Mặc định khi ký") as `<name>-da-ky.pdf` ("đã ký", signed; the suffix is a setting too), then
// `-da-ky-2.pdf`, `-da-ky-3.pdf`… so that an earlier signed copy is never overwritten silently.
import { stat } from 'node:fs/promises';
import path from 'node:path';

const SUFFIX = '-da-ky';

export interface OutputRule {
  /** Absolute folder for signed copies; absent: beside the original. */
  readonly folder?: string | undefined;
  /** Added before .pdf; absent: "-da-ky". An empty suffix still never proposes the original's name. */
  readonly suffix?: string | undefined;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function suggestedOutput(input: string, rule: OutputRule = {}): Promise<string> {
  const dir = rule.folder !== undefined && path.isAbsolute(rule.folder) ? rule.folder : path.dirname(input);
  const suffix = rule.suffix ?? SUFFIX;
  const ext = path.extname(input);
  const stem = path.basename(input, ext);
  const extension = ext.toLowerCase() === '.pdf' ? ext : '.pdf';
  const original = path.resolve(input);
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${stem}${suffix}${n === 1 ? '' : `-${n}`}${extension}`);
    if (path.resolve(candidate) !== original && !(await exists(candidate))) return candidate;
  }
  // A thousand signed copies: let the user choose (the save dialog asks before overwriting).
  return path.join(dir, `${stem}${suffix || SUFFIX}${extension}`);
}
