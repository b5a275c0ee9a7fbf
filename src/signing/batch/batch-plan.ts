// Which documents a batch signs and where each output goes: files and folders (optionally
// recursive) in, one output folder out, mirroring sub-folders, named after the input with an
// optional suffix. Nothing here writes; conflicts become per-document failures, not a stop.
import { createHash } from 'node:crypto';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';

export interface BatchInputSpec {
  /** PDF files and folders; a folder contributes its *.pdf files. */
  readonly inputs: readonly string[];
  /** Also take the PDFs of sub-folders (mirrored under the output folder). */
  readonly recursive?: boolean;
  readonly outDir: string;
  /** Added to each output's name before the extension: "a.pdf" + "-signed" → "a-signed.pdf". */
  readonly suffix?: string;
}

export interface PlannedDocument {
  /** Stable across runs (derived from the input path): names the document in the journal. */
  readonly key: string;
  /** Absolute path of the input. */
  readonly input: string;
  /** Absolute path of the output. */
  readonly output: string;
  /** The input as the user knows it: relative to its folder, or the path given. */
  readonly name: string;
  /** Set when the document cannot be signed whatever happens (duplicate output, output = input). */
  readonly conflict?: KysoError;
}

/** The folder of the batch's own files (journal, reports, staging) inside the output folder. */
export const BATCH_DIR_NAME = '.kyso-batch';

const isPdfName = (name: string): boolean => name.toLowerCase().endsWith('.pdf');

async function canonical(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    try {
      return path.join(await realpath(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/** Is `child` `parent` or inside it (both canonical)? */
function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** PDF files of a folder, relative to it, sorted; hidden entries and `skip` (the output folder) left out. */
async function pdfFilesIn(root: string, recursive: boolean, skip: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new KysoError(
        code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
        `Cannot read the folder ${dir}.`,
        { details: { path: dir }, cause },
      );
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const relative = rel === '' ? entry.name : path.join(rel, entry.name);
      let kind: 'file' | 'dir' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
      if (entry.isSymbolicLink()) {
        const st = await stat(full).catch(() => undefined);
        kind = st?.isFile() ? 'file' : st?.isDirectory() ? 'dir' : 'other';
      }
      if (kind === 'file' && isPdfName(entry.name)) found.push(relative);
      else if (kind === 'dir' && recursive && !within(await canonical(full), skip)) {
        await walk(full, relative);
      }
    }
  };
  await walk(root, '');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function outputName(inputName: string, suffix: string): string {
  const ext = path.extname(inputName);
  return `${inputName.slice(0, inputName.length - ext.length)}${suffix}${ext || '.pdf'}`;
}

export function documentKey(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 20);
}

/**
 * Lists the documents of a batch in a stable order. A folder that does not exist is an error for
 * the whole batch (INPUT_NOT_FOUND); a file that does not exist is left to fail on its own.
 */
export async function planBatch(spec: BatchInputSpec): Promise<PlannedDocument[]> {
  const suffix = spec.suffix ?? '';
  const outDir = path.resolve(spec.outDir);
  const outCanonical = await canonical(outDir);
  const entries: { input: string; real: string; name: string; relDir: string }[] = [];
  for (const given of spec.inputs) {
    const input = path.resolve(given);
    const st = await stat(input).catch(() => undefined);
    if (st?.isDirectory()) {
      if (suffix === '' && (await canonical(input)) === outCanonical) {
        throw new KysoError(
          'OUTPUT_SAME_AS_INPUT',
          'The output folder is the input folder; add a suffix or choose another folder.',
          { details: { path: outDir } },
        );
      }
      // Paths are made canonical once per folder, not once per document: a batch has thousands.
      const root = await canonical(input);
      for (const rel of await pdfFilesIn(input, spec.recursive ?? false, outCanonical)) {
        entries.push({
          input: path.join(input, rel),
          real: path.join(root, rel),
          name: rel,
          relDir: path.dirname(rel),
        });
      }
    } else {
      entries.push({ input, real: await canonical(input), name: given, relDir: '.' });
    }
  }
  const seenInputs = new Set<string>();
  const seenOutputs = new Map<string, string>();
  const planned: PlannedDocument[] = [];
  for (const { input, real, name, relDir } of entries) {
    if (seenInputs.has(real)) continue;
    seenInputs.add(real);
    const fileName = outputName(path.basename(input), suffix);
    const output = path.join(outDir, relDir, fileName);
    // A symbolic link among the outputs' folders would escape this; the final link() refuses to
    // replace a file in any case.
    const outReal = path.join(outCanonical, relDir, fileName);
    let conflict: KysoError | undefined;
    if (outReal === real) {
      conflict = new KysoError('OUTPUT_SAME_AS_INPUT', `The output of ${name} would be the input itself.`, {
        details: { path: output },
      });
    } else if (seenOutputs.has(outReal)) {
      conflict = new KysoError(
        'OUTPUT_EXISTS',
        `${output} is already the output of ${seenOutputs.get(outReal) ?? ''}.`,
        { details: { path: output } },
      );
    } else {
      seenOutputs.set(outReal, name);
    }
    planned.push({ key: documentKey(input), input, output, name, ...(conflict ? { conflict } : {}) });
  }
  return planned;
}
