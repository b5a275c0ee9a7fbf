// What the reference server has received: each stored result (file and metadata) under its
// data folder, a journal of receipts (one JSON line each) so a restarted server still knows every
// idempotency key, and the counts the tests read: per document (SHA-256) and per key.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Receipt {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly dossierCode: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly size: number;
  readonly metadata: unknown;
  readonly receivedAt: string;
  readonly signatures: { readonly status: string; readonly signer: string | null }[];
}

export class ReceiptStore {
  readonly dir: string;
  readonly #byKey = new Map<string, Receipt>();
  readonly #inProgress = new Set<string>();
  readonly #bySha = new Map<string, number>();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(path.join(dir, 'files'), { recursive: true });
    let text = '';
    try {
      text = readFileSync(this.#journal, 'utf8');
    } catch {
      // a new data folder
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        this.#remember(JSON.parse(line) as Receipt);
      } catch {
        // a torn last line after a crash: that receipt was never answered
      }
    }
  }

  get #journal(): string {
    return path.join(this.dir, 'receipts.jsonl');
  }

  #remember(receipt: Receipt): void {
    this.#byKey.set(receipt.idempotencyKey, receipt);
    this.#bySha.set(receipt.sha256, (this.#bySha.get(receipt.sha256) ?? 0) + 1);
  }

  byKey(key: string): Receipt | undefined {
    return this.#byKey.get(key);
  }

  /** Reserves a key while its request is processed; false: another request with it is under way. */
  begin(key: string): boolean {
    if (this.#inProgress.has(key)) return false;
    this.#inProgress.add(key);
    return true;
  }

  end(key: string): void {
    this.#inProgress.delete(key);
  }

  newId(): string {
    return `r-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  filePath(id: string): string {
    return path.join(this.dir, 'files', `${id}.pdf`);
  }

  writeFile(id: string, data: Buffer): string {
    const file = this.filePath(id);
    writeFileSync(file, data);
    return file;
  }

  removeFile(id: string): void {
    rmSync(this.filePath(id), { force: true });
  }

  /** Records a receipt: from now on its key answers 409. */
  add(receipt: Receipt): void {
    appendFileSync(this.#journal, `${JSON.stringify(receipt)}\n`);
    this.#remember(receipt);
  }

  receipts(): Receipt[] {
    return [...this.#byKey.values()];
  }

  /** How many times each document (by SHA-256) was stored: 1 each when nothing was delivered twice. */
  countsByDocument(): Record<string, number> {
    return Object.fromEntries(this.#bySha);
  }
}
