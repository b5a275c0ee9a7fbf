// The revocation cache in the data folder (<KYSO_HOME>/cache/revocation/): OCSP responses, CRLs and
// CA certificates fetched over the network, kept until their nextUpdate (a CA certificate until it
// expires) so that a batch asks each server once and offline mode has something to work with. What
// is read back is checked again by the caller exactly as a fresh answer is: the cache is a
// convenience, never a source of trust. Writing is best effort: a read-only folder only costs speed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kysoHome } from '../home.js';

export type CacheKind = 'ocsp' | 'crl' | 'ca-certificate';

export interface CacheEntry {
  readonly kind: CacheKind;
  /** Display URL it came from. */
  readonly url: string;
  readonly bytes: Uint8Array;
  readonly fetchedAt: Date;
  /** The entry is good until then; absent: memory only, for `memoryMaxAgeMs`. */
  readonly validUntil: Date | undefined;
}

interface StoredMeta {
  readonly kind: CacheKind;
  readonly url: string;
  readonly fetchedAt: string;
  readonly validUntil: string;
}

export function defaultRevocationCacheDir(home: string = kysoHome()): string {
  return path.join(home, 'cache', 'revocation');
}

/** Memory entries without a validity end are reused this long (one signing or one batch). */
const DEFAULT_MEMORY_MAX_AGE_MS = 2 * 60 * 1000;

function fileStem(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function isMeta(value: unknown): value is StoredMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['kind'] === 'ocsp' || v['kind'] === 'crl' || v['kind'] === 'ca-certificate') &&
    typeof v['url'] === 'string' &&
    typeof v['fetchedAt'] === 'string' &&
    typeof v['validUntil'] === 'string'
  );
}

export class RevocationCache {
  private readonly memory = new Map<string, CacheEntry>();

  /** `dir` null: memory only. */
  constructor(
    readonly dir: string | null,
    private readonly memoryMaxAgeMs: number = DEFAULT_MEMORY_MAX_AGE_MS,
  ) {}

  /** A usable entry for `key` at `now`, from memory or disk; undefined when none is valid. */
  async get(key: string, now: Date): Promise<CacheEntry | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined && this.usable(inMemory, now)) return inMemory;
    if (this.dir === null) return undefined;
    const stem = path.join(this.dir, fileStem(key));
    try {
      const meta: unknown = JSON.parse(await readFile(`${stem}.json`, 'utf8'));
      if (!isMeta(meta)) return undefined;
      const entry: CacheEntry = {
        kind: meta.kind,
        url: meta.url,
        fetchedAt: new Date(meta.fetchedAt),
        validUntil: new Date(meta.validUntil),
        bytes: new Uint8Array(await readFile(`${stem}.der`)),
      };
      if (!this.usable(entry, now)) return undefined;
      this.memory.set(key, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry in memory, and on disk when it says how long it is good for. */
  async put(key: string, entry: CacheEntry): Promise<void> {
    this.memory.set(key, entry);
    if (this.dir === null || entry.validUntil === undefined) return;
    const stem = path.join(this.dir, fileStem(key));
    const meta: StoredMeta = {
      kind: entry.kind,
      url: entry.url,
      fetchedAt: entry.fetchedAt.toISOString(),
      validUntil: entry.validUntil.toISOString(),
    };
    const tmp = `${stem}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      // The data first, then the meta that makes it visible: a reader never sees half an entry.
      await writeFile(tmp, entry.bytes);
      await rename(tmp, `${stem}.der`);
      await writeFile(tmp, JSON.stringify(meta));
      await rename(tmp, `${stem}.json`);
    } catch {
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Forgets `key` (an entry that failed its checks). */
  async drop(key: string): Promise<void> {
    this.memory.delete(key);
    if (this.dir === null) return;
    const stem = path.join(this.dir, fileStem(key));
    await unlink(`${stem}.json`).catch(() => undefined);
  }

  private usable(entry: CacheEntry, now: Date): boolean {
    if (entry.validUntil !== undefined) return now.getTime() < entry.validUntil.getTime();
    return now.getTime() - entry.fetchedAt.getTime() < this.memoryMaxAgeMs;
  }
}
