// What the inbox keeps on this computer (<KYSO_HOME>/inbox/<server>/<certificate>/): the last lists
// the server gave and the documents downloaded, so that `list` and the signing work without a
// network from what was downloaded. Every file is written under a temporary name, flushed and
// renamed; a document is used only while its SHA-256 is the one the server announced.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import { kysoHome } from '../home.js';
import type { InboxListState } from './inbox-client.js';
import { parseInboxItem, type InboxItem } from './inbox-item.js';

export interface CachedList {
  readonly items: readonly InboxItem[];
  /** When the server gave this list (ISO 8601). */
  readonly fetchedAt: string;
}

type DocumentRef = Pick<InboxItem, 'id' | 'version' | 'sha256'>;

/** The folder of one server and certificate under the data folder. */
export function inboxDir(server: string, assignee: string, home: string = kysoHome()): string {
  const serverId = createHash('sha256').update(server).digest('hex').slice(0, 16);
  return path.join(home, 'inbox', serverId, assignee.slice(0, 32));
}

export class InboxCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    try {
      mkdirSync(path.join(this.dir, 'documents'), { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new KysoError('OUTPUT_NOT_WRITABLE', `Cannot create the inbox folder ${this.dir}.`, {
        details: { path: this.dir },
        cause,
      });
    }
  }

  #listFile(state: InboxListState): string {
    return path.join(this.dir, `list-${state}.json`);
  }

  readList(state: InboxListState = 'pending'): CachedList | undefined {
    try {
      const raw = JSON.parse(readFileSync(this.#listFile(state), 'utf8')) as {
        items?: unknown;
        fetchedAt?: unknown;
      };
      if (!Array.isArray(raw.items) || typeof raw.fetchedAt !== 'string') return undefined;
      return { items: raw.items.map(parseInboxItem), fetchedAt: raw.fetchedAt };
    } catch {
      return undefined;
    }
  }

  /** The item as last listed (any list), for working offline. */
  cachedItem(id: string): InboxItem | undefined {
    for (const state of ['pending', 'all', 'done', 'declined', 'withdrawn'] as const) {
      const found = this.readList(state)?.items.find((i) => i.id === id);
      if (found) return found;
    }
    return undefined;
  }

  async writeList(state: InboxListState, list: CachedList): Promise<void> {
    await writeFileAtomic(this.#listFile(state), JSON.stringify(list));
    if (state !== 'pending') return;
    // Documents of requests no longer waiting here are not needed any more.
    const keep = new Set(list.items.map((i) => this.documentPath(i)));
    for (const name of readdirSync(path.join(this.dir, 'documents'))) {
      const file = path.join(this.dir, 'documents', name);
      if (!keep.has(file)) rmSync(file, { force: true });
    }
  }

  /** Takes an item out of the cached pending list (declined, signed or gone). */
  async dropPending(id: string): Promise<void> {
    const list = this.readList('pending');
    if (!list || !list.items.some((i) => i.id === id)) return;
    await this.writeList('pending', { ...list, items: list.items.filter((i) => i.id !== id) });
  }

  /** Where one version of a request's document is kept. */
  documentPath(item: DocumentRef): string {
    const safeId = item.id.replace(/[^A-Za-z0-9._-]/g, '_');
    return path.join(this.dir, 'documents', `${safeId}.v${item.version}.${item.sha256.slice(0, 12)}.pdf`);
  }

  /** The kept document, if it is there and still has the announced SHA-256. */
  cachedDocument(item: DocumentRef): string | undefined {
    const file = this.documentPath(item);
    try {
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      if (sha === item.sha256) return file;
      rmSync(file, { force: true });
    } catch {
      // not downloaded
    }
    return undefined;
  }

  async keepDocument(item: DocumentRef, data: Uint8Array): Promise<string> {
    const file = this.documentPath(item);
    await writeFileAtomic(file, data);
    return file;
  }

  async forget(item: DocumentRef): Promise<void> {
    await rm(this.documentPath(item), { force: true });
  }
}
