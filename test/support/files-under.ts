// Every file under a folder, recursively: what secrecy tests grep and what corpus tests read.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Absolute paths of the regular files under `dir`, sorted (so reports are stable). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
