// RevocationClient: the status of one certificate now, from its OCSP responders (AIA) or its CRL
// distribution points (with delta CRLs), through the cache; and the issuer of a certificate from its
// AIA caIssuers URL when a chain is incomplete. Online or offline; every URL it could not use is
// recorded as a problem so that the caller can say exactly what is missing.
import { createHash } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import { parseCertificateBundle } from '../x509/certificate-files.js';
import { checkCrl, combinedStatus, type CheckedCrl, type CrlFailure } from './crl.js';
import { displayUrl, fetchWithRetries, type FetchFailure, type ProxySettings } from './http-fetch.js';
import {
  buildOcspRequest,
  checkOcspResponse,
  newOcspNonce,
  type OcspAnswer,
  type OcspFailure,
} from './ocsp-response.js';
import { RevocationCache, defaultRevocationCacheDir } from './revocation-cache.js';
import {
  caIssuersUrlsOf,
  crlUrlsOf,
  deltaCrlUrlsOfExtensions,
  hasOcspNoCheck,
  isIssuedBy,
  ocspUrlsOf,
  publicKeyBits,
  readRevocationCertificate,
  type RevocationCertificate,
} from './revocation-certificate.js';

export type RevocationMode = 'online' | 'offline';

export interface RevocationOptions {
  /** online (default): ask the servers; offline: use the cache only. */
  readonly mode?: RevocationMode;
  /** Which source to ask first. Default OCSP. */
  readonly prefer?: 'ocsp' | 'crl';
  /** Deadline of one request. Default 15 000 ms. */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout, 5xx or network failure. Default 1. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly proxy?: ProxySettings;
  /** Disk cache folder; null for memory only. Default <KYSO_HOME>/cache/revocation. */
  readonly cacheDir?: string | null;
  /** Send an OCSP nonce. Default true. */
  readonly nonce?: boolean;
  /** Largest CRL accepted. Default 32 MiB. */
  readonly maxCrlBytes?: number;
  readonly signal?: AbortSignal;
  /** The clock (tests). */
  readonly now?: () => Date;
}

export type RevocationProblemReason =
  'offline' | 'no-url' | 'unknown-to-responder' | 'delta-only' | FetchFailure | OcspFailure | CrlFailure;

/** Something that could not be fetched or used, for the user's report. */
export interface RevocationProblem {
  readonly source: 'ocsp' | 'crl' | 'ca-issuers';
  /** The certificate it was about (CN). */
  readonly subject: string;
  /** Display URL (no credentials); null when the certificate names none. */
  readonly url: string | null;
  readonly reason: RevocationProblemReason;
  readonly detail?: string;
}

export interface RevocationStatus {
  readonly certificate: RevocationCertificate;
  readonly issuer: RevocationCertificate;
  readonly status: 'good' | 'revoked' | 'unknown';
  /** What decided: an OCSP answer, CRLs, or the responder certificate's no-check extension. */
  readonly source: 'ocsp' | 'crl' | 'no-check' | undefined;
  readonly revokedAt?: Date;
  readonly reason?: number;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  /** The OCSPResponse DER when OCSP decided. */
  readonly ocsp?: Uint8Array;
  /** The complete CRL (and delta) DER when CRLs decided. */
  readonly crls: readonly Uint8Array[];
  /** Certificates needed to check the evidence (a delegated OCSP responder's). */
  readonly certificates: readonly RevocationCertificate[];
  readonly fromCache: boolean;
  readonly problems: readonly RevocationProblem[];
}

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_OCSP_BYTES = 1024 * 1024;
const MAX_CERT_BYTES = 1024 * 1024;
const DEFAULT_MAX_CRL_BYTES = 32 * 1024 * 1024;
/** An OCSP answer without nextUpdate is accepted this long after its thisUpdate. */
const OCSP_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** CA certificates fetched by AIA are cached at most this long. */
const CA_CERT_CACHE_MS = 7 * 24 * 60 * 60 * 1000;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export class RevocationClient {
  readonly mode: RevocationMode;
  private readonly cache: RevocationCache;
  private readonly allProblems: RevocationProblem[] = [];

  constructor(private readonly options: RevocationOptions = {}) {
    this.mode = options.mode ?? 'online';
    this.cache = new RevocationCache(
      options.cacheDir === undefined ? defaultRevocationCacheDir() : options.cacheDir,
    );
  }

  /** Every problem met so far, in order. */
  get problems(): readonly RevocationProblem[] {
    return this.allProblems;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private throwIfCancelled(): void {
    if (this.options.signal?.aborted === true) throw new KysoError('CANCELLED', 'cancelled');
  }

  private async fetch(
    url: string,
    method: 'GET' | 'POST',
    maxBytes: number,
    body?: { bytes: Uint8Array; contentType: string },
    accept?: string,
  ): Promise<{ ok: true; body: Uint8Array } | { ok: false; reason: FetchFailure; detail: string }> {
    const result = await fetchWithRetries(
      {
        url,
        method,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBytes,
        ...(body ? { body: body.bytes, contentType: body.contentType } : {}),
        ...(accept ? { accept } : {}),
        ...(this.options.proxy ? { proxy: this.options.proxy } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      },
      this.options.retries ?? 1,
      this.options.retryDelayMs ?? 500,
    );
    return result.ok
      ? { ok: true, body: result.body }
      : { ok: false, reason: result.failure, detail: result.detail };
  }

  /** The revocation status of `cert`, issued by `issuer`, now. Never throws but for cancellation. */
  async status(cert: RevocationCertificate, issuer: RevocationCertificate): Promise<RevocationStatus> {
    this.throwIfCancelled();
    const problems: RevocationProblem[] = [];
    const base = { certificate: cert, issuer, crls: [], certificates: [], fromCache: false };
    if (hasOcspNoCheck(cert)) {
      return { ...base, status: 'good', source: 'no-check', problems };
    }
    const order = this.options.prefer === 'crl' ? (['crl', 'ocsp'] as const) : (['ocsp', 'crl'] as const);
    let unknownFromResponder: RevocationStatus | undefined;
    for (const source of order) {
      const found =
        source === 'ocsp'
          ? await this.viaOcsp(cert, issuer, problems)
          : await this.viaCrl(cert, issuer, problems);
      if (found === undefined) continue;
      if (found.status !== 'unknown') {
        // A source the certificate does not name is no problem once another one answered.
        const real = problems.filter((p) => p.reason !== 'no-url');
        this.allProblems.push(...real);
        return { ...found, problems: real };
      }
      unknownFromResponder ??= found;
    }
    this.allProblems.push(...problems);
    return unknownFromResponder !== undefined
      ? { ...unknownFromResponder, problems }
      : { ...base, status: 'unknown', source: undefined, problems };
  }

  private ocspKey(cert: RevocationCertificate, issuer: RevocationCertificate): string {
    const keyHash = createHash('sha1').update(publicKeyBits(issuer)).digest('hex');
    return `ocsp|${keyHash}|${hex(cert.cert.serialNumber.valueBlock.valueHexView)}`;
  }

  private statusFromOcsp(
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    a: OcspAnswer,
    fromCache: boolean,
  ): RevocationStatus {
    return {
      certificate: cert,
      issuer,
      status: a.status,
      source: 'ocsp',
      ...(a.revokedAt ? { revokedAt: a.revokedAt } : {}),
      ...(a.reason !== undefined ? { reason: a.reason } : {}),
      thisUpdate: a.thisUpdate,
      ...(a.nextUpdate ? { nextUpdate: a.nextUpdate } : {}),
      ocsp: a.der,
      crls: [],
      certificates: a.delegatedResponder ? [a.delegatedResponder] : [],
      fromCache,
      problems: [],
    };
  }

  private async viaOcsp(
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    problems: RevocationProblem[],
  ): Promise<RevocationStatus | undefined> {
    const urls = ocspUrlsOf(cert);
    const key = this.ocspKey(cert, issuer);
    const now = this.now();
    const cached = await this.cache.get(key, now);
    if (cached !== undefined) {
      const checked = await checkOcspResponse(cached.bytes, cert, issuer, {
        now,
        maxAgeWithoutNextUpdateMs: OCSP_MAX_AGE_MS,
      });
      if (checked.ok && checked.answer.status !== 'unknown')
        return this.statusFromOcsp(cert, issuer, checked.answer, true);
      await this.cache.drop(key);
    }
    if (urls.length === 0) {
      problems.push({ source: 'ocsp', subject: cert.name, url: null, reason: 'no-url' });
      return undefined;
    }
    if (this.mode === 'offline') {
      for (const url of urls)
        problems.push({ source: 'ocsp', subject: cert.name, url: displayUrl(url), reason: 'offline' });
      return undefined;
    }
    let unknown: RevocationStatus | undefined;
    for (const url of urls) {
      this.throwIfCancelled();
      const nonce = this.options.nonce === false ? undefined : newOcspNonce();
      const request = buildOcspRequest(cert, issuer, nonce);
      const answer = await this.fetch(
        url,
        'POST',
        MAX_OCSP_BYTES,
        { bytes: request, contentType: 'application/ocsp-request' },
        'application/ocsp-response',
      );
      const where = displayUrl(url);
      if (!answer.ok) {
        problems.push({
          source: 'ocsp',
          subject: cert.name,
          url: where,
          reason: answer.reason,
          detail: answer.detail,
        });
        continue;
      }
      const checkedAt = this.now();
      const checked = await checkOcspResponse(answer.body, cert, issuer, {
        ...(nonce ? { nonce } : {}),
        now: checkedAt,
        maxAgeWithoutNextUpdateMs: OCSP_MAX_AGE_MS,
      });
      if (!checked.ok) {
        problems.push({
          source: 'ocsp',
          subject: cert.name,
          url: where,
          reason: checked.failure,
          detail: checked.detail,
        });
        continue;
      }
      const a = checked.answer;
      if (a.status === 'unknown') {
        problems.push({ source: 'ocsp', subject: cert.name, url: where, reason: 'unknown-to-responder' });
        unknown ??= this.statusFromOcsp(cert, issuer, a, false);
        continue;
      }
      await this.cache.put(key, {
        kind: 'ocsp',
        url: where,
        bytes: a.der,
        fetchedAt: checkedAt,
        validUntil: a.nextUpdate,
      });
      return this.statusFromOcsp(cert, issuer, a, false);
    }
    return unknown;
  }

  /** A checked CRL from `url` for `issuer`: from the cache, else downloaded. */
  private async crlFrom(
    url: string,
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    problems: RevocationProblem[],
  ): Promise<{ crl: CheckedCrl; fromCache: boolean } | undefined> {
    const key = `crl|${url}`;
    const where = displayUrl(url);
    const now = this.now();
    const cached = await this.cache.get(key, now);
    if (cached !== undefined) {
      const checked = await checkCrl(cached.bytes, issuer, now);
      if (checked.ok) return { crl: checked.crl, fromCache: true };
      await this.cache.drop(key);
    }
    if (this.mode === 'offline') {
      problems.push({ source: 'crl', subject: cert.name, url: where, reason: 'offline' });
      return undefined;
    }
    this.throwIfCancelled();
    const answer = await this.fetch(
      url,
      'GET',
      this.options.maxCrlBytes ?? DEFAULT_MAX_CRL_BYTES,
      undefined,
      'application/pkix-crl',
    );
    if (!answer.ok) {
      problems.push({
        source: 'crl',
        subject: cert.name,
        url: where,
        reason: answer.reason,
        detail: answer.detail,
      });
      return undefined;
    }
    const checkedAt = this.now();
    const checked = await checkCrl(answer.body, issuer, checkedAt);
    if (!checked.ok) {
      problems.push({
        source: 'crl',
        subject: cert.name,
        url: where,
        reason: checked.failure,
        detail: checked.detail,
      });
      return undefined;
    }
    await this.cache.put(key, {
      kind: 'crl',
      url: where,
      bytes: checked.crl.der,
      fetchedAt: checkedAt,
      validUntil: checked.crl.nextUpdate,
    });
    return { crl: checked.crl, fromCache: false };
  }

  private async viaCrl(
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    problems: RevocationProblem[],
  ): Promise<RevocationStatus | undefined> {
    const urls = crlUrlsOf(cert);
    if (urls.length === 0) {
      problems.push({ source: 'crl', subject: cert.name, url: null, reason: 'no-url' });
      return undefined;
    }
    for (const url of urls) {
      const got = await this.crlFrom(url, cert, issuer, problems);
      if (got === undefined) continue;
      const { crl } = got;
      if (crl.deltaBase !== undefined) {
        // A delta CRL where a complete one was expected: its entries count, its silence does not.
        const entry = combinedStatus(crl, undefined, cert);
        if (entry.status === 'revoked') {
          return this.statusFromCrl(cert, issuer, [crl], entry.revokedAt, entry.reason, got.fromCache);
        }
        problems.push({ source: 'crl', subject: cert.name, url: displayUrl(url), reason: 'delta-only' });
        continue;
      }
      // The freshest CRL, named by the certificate or by the complete CRL.
      const deltaUrls = [...deltaCrlUrlsOfExtensions(cert.cert.extensions), ...crl.deltaUrls];
      let delta: CheckedCrl | undefined;
      for (const deltaUrl of [...new Set(deltaUrls)]) {
        const d = await this.crlFrom(deltaUrl, cert, issuer, problems);
        if (d !== undefined && d.crl.deltaBase !== undefined) {
          delta = d.crl;
          break;
        }
      }
      const entry = combinedStatus(crl, delta, cert);
      const used = delta ? [crl, delta] : [crl];
      if (entry.status === 'revoked') {
        return this.statusFromCrl(cert, issuer, used, entry.revokedAt, entry.reason, got.fromCache);
      }
      return this.statusFromCrl(cert, issuer, used, undefined, undefined, got.fromCache);
    }
    return undefined;
  }

  private statusFromCrl(
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    crls: readonly CheckedCrl[],
    revokedAt: Date | undefined,
    reason: number | undefined,
    fromCache: boolean,
  ): RevocationStatus {
    const first = crls[0]!;
    const nextUpdates = crls.map((c) => c.nextUpdate).filter((d): d is Date => d !== undefined);
    const nextUpdate = nextUpdates.sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      certificate: cert,
      issuer,
      status: revokedAt === undefined ? 'good' : 'revoked',
      source: 'crl',
      ...(revokedAt ? { revokedAt } : {}),
      ...(reason !== undefined ? { reason } : {}),
      thisUpdate: first.thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
      crls: crls.map((c) => c.der),
      certificates: [],
      fromCache,
      problems: [],
    };
  }

  /**
   * The certificate that issued `cert`, downloaded from its AIA caIssuers URLs (DER, PEM or a
   * PKCS#7 bundle); undefined when none is found. The issuer is confirmed by signature.
   */
  async fetchIssuer(cert: RevocationCertificate): Promise<RevocationCertificate | undefined> {
    const urls = caIssuersUrlsOf(cert);
    if (urls.length === 0) {
      this.allProblems.push({ source: 'ca-issuers', subject: cert.name, url: null, reason: 'no-url' });
      return undefined;
    }
    for (const url of urls) {
      this.throwIfCancelled();
      const key = `ca|${url}`;
      const where = displayUrl(url);
      const now = this.now();
      let bytes = (await this.cache.get(key, now))?.bytes;
      if (bytes === undefined) {
        if (this.mode === 'offline') {
          this.allProblems.push({ source: 'ca-issuers', subject: cert.name, url: where, reason: 'offline' });
          continue;
        }
        const answer = await this.fetch(url, 'GET', MAX_CERT_BYTES);
        if (!answer.ok) {
          this.allProblems.push({
            source: 'ca-issuers',
            subject: cert.name,
            url: where,
            reason: answer.reason,
            detail: answer.detail,
          });
          continue;
        }
        bytes = answer.body;
      }
      let candidates: Uint8Array[];
      try {
        candidates = parseCertificateBundle(bytes, where);
      } catch {
        candidates = [];
      }
      const issuer = candidates
        .map((der) => readRevocationCertificate(der))
        .find((c): c is RevocationCertificate => c !== undefined && isIssuedBy(cert, c));
      if (issuer !== undefined) {
        const until = Math.min(issuer.cert.notAfter.value.getTime(), now.getTime() + CA_CERT_CACHE_MS);
        await this.cache.put(key, {
          kind: 'ca-certificate',
          url: where,
          bytes,
          fetchedAt: now,
          validUntil: new Date(until),
        });
        return issuer;
      }
      this.allProblems.push({ source: 'ca-issuers', subject: cert.name, url: where, reason: 'wrong-issuer' });
    }
    return undefined;
  }
}
