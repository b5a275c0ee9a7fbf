// How many bytes a TSA's tokens take, so that /Contents is reserved right on the first try (issue:
// real-size tokens and chains must fit). Sizes are learned: from the tokens Kyso received before
// (kept per TSA in <KYSO_HOME>/cache/timestamp-tokens.json, with the TSA's certificates, which the
// B-LTA writer needs before the archive timestamp exists), else from one probe request per TSA and
// process when the caller allows it (a long-term signature talks to the TSA anyway), else a default.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTimestampToken, requestTimestamp, type DigestAlgorithm, type TsaAuth } from '../cms/index.js';
import { kysoHome } from '../home.js';

/** Without any knowledge: a token from a TSA that embeds its certificate and a CA or two. */
export const FALLBACK_TIMESTAMP_SIZE = 8192;

import type { ProxySettings } from '../net/http-proxy.js';

export interface TimestampServer {
  readonly url: string;
  readonly auth?: TsaAuth;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly policyOid?: string;
  readonly proxy?: ProxySettings;
}

export interface TimestampSizeRequest {
  readonly tsa: TimestampServer;
  readonly digest: DigestAlgorithm;
  /** Ask the TSA once when nothing is known about it yet. */
  readonly probe: boolean;
  /** The data folder (for the record file); null: remember in memory only. */
  readonly home?: string | null;
  readonly signal?: AbortSignal;
}

export interface TimestampSizeHint {
  /** Bytes to reserve for the token, margin included. */
  readonly size: number;
  readonly source: 'record' | 'probe' | 'fallback';
  /** DER of the certificates the TSA's last token carried (TSA certificate first when known). */
  readonly certificates: readonly Uint8Array[];
}

interface TsaRecord {
  readonly size: number;
  readonly certificates: readonly string[];
  readonly observedAt: string;
}

const memory = new Map<string, TsaRecord>();

/** Serial numbers, nonces and accuracy vary from token to token: a margin over the largest seen. */
export function withMargin(size: number): number {
  return size + Math.max(256, Math.ceil(size * 0.1));
}

/** The TSA's key in the record: no credentials, and a query (which may hold an API key) only hashed. */
function recordKey(url: string): string {
  try {
    const u = new URL(url);
    const query =
      u.search === '' ? '' : `?${createHash('sha256').update(u.search).digest('hex').slice(0, 16)}`;
    return `${u.protocol}//${u.host}${u.pathname}${query}`;
  } catch {
    return createHash('sha256').update(url).digest('hex');
  }
}

function recordFile(home: string): string {
  return path.join(home, 'cache', 'timestamp-tokens.json');
}

async function readRecords(home: string): Promise<Record<string, TsaRecord>> {
  try {
    const raw: unknown = JSON.parse(await readFile(recordFile(home), 'utf8'));
    if (typeof raw !== 'object' || raw === null) return {};
    const out: Record<string, TsaRecord> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const r = v as Partial<TsaRecord>;
      if (
        typeof r.size === 'number' &&
        Number.isFinite(r.size) &&
        r.size > 0 &&
        Array.isArray(r.certificates)
      ) {
        out[k] = {
          size: r.size,
          certificates: r.certificates.filter((c): c is string => typeof c === 'string'),
          observedAt: typeof r.observedAt === 'string' ? r.observedAt : '',
        };
      }
    }
    return out;
  } catch {
    return {};
  }
}

function homeOf(home: string | null | undefined): string | null {
  return home === undefined ? kysoHome() : home;
}

/**
 * Remembers a token a TSA returned: its size (the largest seen is kept) and its certificates. Best
 * effort: a data folder that cannot be written only loses the knowledge.
 */
export async function recordTimestampToken(
  url: string,
  token: Uint8Array,
  home?: string | null,
): Promise<void> {
  const key = recordKey(url);
  let certificates: string[] = [];
  try {
    const info = parseTimestampToken(token);
    const ordered = info.tsaCertificate
      ? [
          info.tsaCertificate,
          ...info.certificates.filter((c) => !Buffer.from(c).equals(Buffer.from(info.tsaCertificate!))),
        ]
      : info.certificates;
    certificates = ordered.map((c) => Buffer.from(c).toString('base64'));
  } catch {
    certificates = [];
  }
  const previous = memory.get(key);
  const record: TsaRecord = {
    size: Math.max(token.length, previous?.size ?? 0),
    certificates,
    observedAt: new Date().toISOString(),
  };
  memory.set(key, record);
  const dir = homeOf(home);
  if (dir === null) return;
  const file = recordFile(dir);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const records = await readRecords(dir);
    const stored = records[key];
    records[key] = { ...record, size: Math.max(record.size, stored?.size ?? 0) };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(records, null, 2)}\n`);
    await rename(tmp, file);
  } catch {
    await unlink(tmp).catch(() => undefined);
  }
}

function hintFrom(record: TsaRecord, source: 'record' | 'probe'): TimestampSizeHint {
  return {
    size: withMargin(record.size),
    source,
    certificates: record.certificates.map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
  };
}

/** The size to reserve for a token of `tsa` (see the module comment for where it comes from). */
export async function timestampSizeHint(request: TimestampSizeRequest): Promise<TimestampSizeHint> {
  const key = recordKey(request.tsa.url);
  const known = memory.get(key);
  if (known !== undefined) return hintFrom(known, 'record');
  const dir = homeOf(request.home);
  if (dir !== null) {
    const stored = (await readRecords(dir))[key];
    if (stored !== undefined) {
      memory.set(key, stored);
      return hintFrom(stored, 'record');
    }
  }
  if (!request.probe) return { size: FALLBACK_TIMESTAMP_SIZE, source: 'fallback', certificates: [] };
  // One real request over random data: the token is thrown away, its size and certificates kept.
  const result = await requestTimestamp({
    ...request.tsa,
    digest: request.digest,
    data: createHash('sha256').update(randomBytes(32)).digest(),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  await recordTimestampToken(request.tsa.url, result.token, request.home);
  const probed = memory.get(key);
  return probed
    ? hintFrom(probed, 'probe')
    : { size: withMargin(result.token.length), source: 'probe', certificates: [] };
}

/** Forgets what this process learned (tests). */
export function forgetTimestampSizes(): void {
  memory.clear();
}
