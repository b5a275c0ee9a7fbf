// Tries a PKCS#11 library in a child process before Kyso loads it: a library that is missing a
// symbol, of the wrong architecture, or that crashes or hangs in C_Initialize takes down only the
// child. The answer says what happened in terms IT staff can act on.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kysoHome } from '../home.js';
import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type { LibraryArch, LibraryFormat } from './library-architecture.js';
import { readLibraryHeader } from './library-architecture.js';

export type ProbeOutcome =
  'ok' | 'not-found' | 'wrong-architecture' | 'not-pkcs11' | 'init-failed' | 'crashed' | 'timeout';

export interface ProbeResult {
  readonly path: string;
  readonly outcome: ProbeOutcome;
  readonly format?: LibraryFormat;
  readonly arch?: LibraryArch;
  readonly manufacturer?: string;
  readonly description?: string;
  readonly cryptokiVersion?: string;
  readonly slotCount?: number;
  readonly tokenCount?: number;
  /** The loader's or module's own words, for IT staff. */
  readonly detail?: string;
}

const require = createRequire(import.meta.url);

// Runs in the child: plain JavaScript, no imports from the project, so it works from source and dist.
const CHILD_SOURCE = `
const [bindingPath, libPath] = process.argv.slice(-2);
const out = (o) => process.stdout.write(JSON.stringify(o));
let lib;
try {
  const { PKCS11 } = require(bindingPath);
  lib = new PKCS11();
  lib.load(libPath);
} catch (e) {
  out({ stage: 'load', message: String(e && e.message || e) });
  process.exit(3);
}
try {
  lib.C_Initialize({ flags: 2 });
  const info = lib.C_GetInfo();
  const slots = lib.C_GetSlotList(false);
  const tokens = lib.C_GetSlotList(true);
  out({
    stage: 'ok',
    manufacturer: info.manufacturerID.trim(),
    description: info.libraryDescription.trim(),
    cryptokiVersion: info.cryptokiVersion.major + '.' + info.cryptokiVersion.minor,
    slotCount: slots.length,
    tokenCount: tokens.length,
  });
  lib.C_Finalize();
  process.exit(0);
} catch (e) {
  out({ stage: 'init', message: String(e && e.message || e) });
  process.exit(4);
}
`;

interface ChildAnswer {
  stage: 'ok' | 'load' | 'init';
  message?: string;
  manufacturer?: string;
  description?: string;
  cryptokiVersion?: string;
  slotCount?: number;
  tokenCount?: number;
}

function parseAnswer(text: string): ChildAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'stage' in value) return value as ChildAnswer;
  } catch {
    // fall through: a crash can leave partial output
  }
  return undefined;
}

/**
 * A library that passed the probe stays trusted until its file changes: the cache key is the path,
 * size and modification time, the process architecture and Node's ABI. This spares every command a
 * child process (tens of milliseconds) once a token library is known to be safe.
 */
function cacheKey(libraryPath: string, size: number, mtimeMs: number): string {
  return [libraryPath, size, Math.round(mtimeMs), process.arch, process.versions.modules].join('|');
}

function cacheFile(): string {
  return path.join(kysoHome(), 'cache', 'pkcs11-probe.json');
}

async function readCache(): Promise<Record<string, ProbeResult>> {
  try {
    const value: unknown = JSON.parse(await readFile(cacheFile(), 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, ProbeResult>) : {};
  } catch {
    return {};
  }
}

async function remember(key: string, result: ProbeResult): Promise<void> {
  try {
    const cache = await readCache();
    cache[key] = result;
    const file = cacheFile();
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(cache));
    await rename(tmp, file);
  } catch {
    // a cache that cannot be written only costs the next command a probe
  }
}

export interface ProbeOptions {
  readonly timeoutMs?: number;
  /** Reuse an earlier successful probe of the same unchanged file (default true). */
  readonly useCache?: boolean;
}

export async function probeModule(libraryPath: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  let key: string;
  try {
    const st = await stat(libraryPath);
    if (!st.isFile()) return { path: libraryPath, outcome: 'not-found', detail: 'not a file' };
    key = cacheKey(libraryPath, st.size, st.mtimeMs);
  } catch {
    return { path: libraryPath, outcome: 'not-found' };
  }
  if (options.useCache ?? true) {
    const cached = (await readCache())[key];
    if (cached?.outcome === 'ok') return cached;
  }
  const result = await probeInChild(libraryPath, options);
  if (result.outcome === 'ok') await remember(key, result);
  return result;
}

async function probeInChild(libraryPath: string, options: ProbeOptions): Promise<ProbeResult> {
  const header = await readLibraryHeader(libraryPath);
  const base = { path: libraryPath, format: header.format, arch: header.arch };
  if (header.format === 'unknown') {
    return { ...base, outcome: 'not-pkcs11', detail: 'not a shared library' };
  }
  if (header.arch !== 'unknown' && header.arch !== process.arch) {
    return {
      ...base,
      outcome: 'wrong-architecture',
      detail: `library is ${header.arch}, Kyso runs as ${process.arch}`,
    };
  }
  const bindingPath = require.resolve('pkcs11js');
  const timeoutMs = options.timeoutMs ?? 15_000;
  // child_process (with net and dgram) loads only when a library is actually probed, not on the
  // cached path every signature takes. require, not import(): the CLI bundle runs in node:vm,
  // where a native dynamic import has no loader.
  const { spawn } = require('node:child_process') as typeof ChildProcess;
  return await new Promise<ProbeResult>((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE, bindingPath, libraryPath], {
      // In the packaged app process.execPath is Electron: make it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        resolve({ ...base, outcome: 'timeout', detail: `no answer within ${timeoutMs} ms` });
        return;
      }
      const answer = parseAnswer(stdout);
      if (signal !== null || (answer === undefined && code !== 0)) {
        const why = signal ?? `exit code ${code ?? '?'}`;
        resolve({ ...base, outcome: 'crashed', detail: `${why}${stderr ? `: ${stderr.trim()}` : ''}` });
        return;
      }
      if (answer?.stage === 'ok') {
        resolve({
          ...base,
          outcome: 'ok',
          ...(answer.manufacturer !== undefined ? { manufacturer: answer.manufacturer } : {}),
          ...(answer.description !== undefined ? { description: answer.description } : {}),
          ...(answer.cryptokiVersion !== undefined ? { cryptokiVersion: answer.cryptokiVersion } : {}),
          ...(answer.slotCount !== undefined ? { slotCount: answer.slotCount } : {}),
          ...(answer.tokenCount !== undefined ? { tokenCount: answer.tokenCount } : {}),
        });
        return;
      }
      const detail = answer?.message ?? stderr.trim();
      if (answer?.stage === 'load') {
        const wrongClass = /wrong ELF class|incompatible architecture|%1 is not a valid Win32/i.test(detail);
        resolve({ ...base, outcome: wrongClass ? 'wrong-architecture' : 'not-pkcs11', detail });
        return;
      }
      resolve({ ...base, outcome: 'init-failed', detail });
    });
  });
}
