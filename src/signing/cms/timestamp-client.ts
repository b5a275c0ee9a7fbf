// RFC 3161 time-stamp protocol over HTTP(S) (RFC 3161 section 3.4): POST a DER TimeStampReq as
// application/timestamp-query, read a TimeStampResp, and accept the token only after checking it
// answers our request (imprint, nonce, policy) and is signed by a time-stamping certificate.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KysoError, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import { digestAlgorithmIdentifier } from './algorithms.js';
import { cancelledError, throwIfCancelled } from './cancel.js';
import { boolean, integer, octetString, oid, sequence } from './der.js';
import { decode } from './der-asn1js.js';
import type { DigestAlgorithm } from './signer.js';
import type { TimestampFunction } from './signed-data.js';
import { basicAuth, bypassesProxy, tunnel, type ProxySettings } from '../net/http-proxy.js';
import { verifyTimestampToken } from './timestamp-token.js';

/** Credentials for a TSA that wants them; prefer {@link Secret} so that they never print. */
export type TsaAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string | Secret }
  | { readonly kind: 'bearer'; readonly token: string | Secret };

export type TsaEvent =
  /** An attempt (1, 2, ...) is about to be sent and its answer awaited. */
  | { readonly kind: 'tsa-waiting'; readonly attempt: number; readonly url: string }
  /** Attempt `attempt` will be made after `delayMs`; `reason` is the error code of the one that failed. */
  | {
      readonly kind: 'tsa-retry';
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: ErrorCode;
    };

export interface TimestampRequestOptions {
  /** http: or https: URL of the TSA. Credentials in the URL are used as basic auth if `auth` is absent. */
  readonly url: string;
  /** Hash algorithm of the messageImprint. */
  readonly digest: DigestAlgorithm;
  readonly auth?: TsaAuth;
  /** Deadline of one attempt, connection to last byte. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout, a 5xx answer or an unreachable TSA. Default 2. */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one (capped at 30 s). Default 1 000 ms. */
  readonly retryDelayMs?: number;
  /** TSA policy to ask for (reqPolicy); the token must then carry it. */
  readonly policyOid?: string;
  /** An HTTP proxy from the settings (network.proxy); HTTPS goes through a CONNECT tunnel. */
  readonly proxy?: ProxySettings;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TsaEvent) => void;
}

export interface TimestampRequest extends TimestampRequestOptions {
  /** The bytes to timestamp: for a PAdES signature timestamp, the signature value. */
  readonly data: Uint8Array;
}

export interface TimestampResult {
  /** DER of the TimeStampToken (ContentInfo), ready for the signatureTimeStampToken attribute. */
  readonly token: Uint8Array;
  readonly genTime: Date;
  /** DER of the TSA certificate that signed the token. */
  readonly tsaCertificate?: Uint8Array;
  /** The token's serial number, decimal. */
  readonly serialNumber: string;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_RETRY_DELAY_MS = 30_000;

/** An attempt's failure, and whether another attempt may succeed. */
class AttemptFailure extends Error {
  constructor(
    readonly error: KysoError,
    readonly retryable: boolean,
  ) {
    super(error.message);
    this.name = 'AttemptFailure';
  }
}

function fail(
  code: ErrorCode,
  message: string,
  details: ErrorDetails,
  retryable: boolean,
  cause?: unknown,
): AttemptFailure {
  return new AttemptFailure(
    new KysoError(code, message, { details, ...(cause === undefined ? {} : { cause }) }),
    retryable,
  );
}

/** The URL without credentials, query or fragment: safe for messages, details and events. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KysoError('TSA_UNREACHABLE', 'the TSA address is not a valid URL', {
      details: { reason: 'invalid-url' },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KysoError('TSA_UNREACHABLE', 'the TSA address must be an http or https URL', {
      details: { reason: 'invalid-url', protocol: url.protocol },
    });
  }
  return url;
}

const reveal = (value: string | Secret): string => (value instanceof Secret ? value.reveal() : value);

/** The Authorization header value, kept in a {@link Secret} until the request is written. */
function authorization(url: URL, auth: TsaAuth | undefined): Secret | undefined {
  if (auth?.kind === 'bearer') return new Secret(`Bearer ${reveal(auth.token)}`);
  let basic: { username: string; password: string | Secret } | undefined = auth;
  if (basic === undefined && (url.username !== '' || url.password !== '')) {
    basic = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  }
  if (basic === undefined) return undefined;
  const pair = `${basic.username}:${reveal(basic.password)}`;
  return new Secret(`Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
}

/** 8 random bytes, top bit clear and second-highest set: a positive INTEGER of exactly 8 bytes. */
function newNonce(): Uint8Array {
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  return nonce;
}

/**
 * TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *   reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE, ... }
 */
function timeStampReq(
  digest: DigestAlgorithm,
  data: Uint8Array,
  nonce: Uint8Array,
  policyOid?: string,
): Uint8Array {
  return sequence(
    integer(1),
    sequence(
      // NULL parameters: what most deployed clients send and every TSA accepts
      digestAlgorithmIdentifier(digest, true),
      octetString(createHash(digest).update(data).digest()),
    ),
    ...(policyOid === undefined ? [] : [oid(policyOid)]),
    integer(nonce),
    boolean(true),
  );
}

const NETWORK_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
]);

function networkFailure(error: unknown, where: string): AttemptFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  if (code === 'ETIMEDOUT') {
    return fail(
      'TSA_TIMEOUT',
      `the TSA ${where} did not answer in time`,
      { url: where, reason: code },
      true,
      error,
    );
  }
  if (NETWORK_UNREACHABLE.has(code)) {
    return fail(
      'TSA_UNREACHABLE',
      `cannot reach the TSA ${where}`,
      { url: where, reason: code },
      true,
      error,
    );
  }
  // TLS failures (certificate not trusted, name mismatch, protocol too old) do not heal by retrying.
  return fail('TSA_UNREACHABLE', `cannot reach the TSA ${where}`, { url: where, reason: code }, false, error);
}

interface HttpAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
}

async function post(
  url: URL,
  body: Uint8Array,
  authHeader: Secret | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  proxySettings: ProxySettings | undefined,
): Promise<HttpAnswer> {
  const where = displayUrl(url);
  const proxy =
    proxySettings !== undefined && !bypassesProxy(url.hostname, proxySettings.noProxy ?? [])
      ? new URL(proxySettings.url)
      : undefined;
  const targetHost = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const targetPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  let tunnelled: Socket | undefined;
  if (proxy !== undefined && url.protocol === 'https:') {
    try {
      tunnelled = await tunnel(proxy, targetHost, targetPort, timeoutMs);
    } catch (error) {
      throw networkFailure(error, where);
    }
  }
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/timestamp-query',
      Accept: 'application/timestamp-reply',
      'Content-Length': body.length,
      'User-Agent': 'Kyso',
    };
    if (authHeader !== undefined) headers['Authorization'] = authHeader.reveal();
    const options: https.RequestOptions = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
    };
    const socket = tunnelled;
    const proxyAuth = proxy === undefined ? undefined : basicAuth(proxy);
    const request =
      url.protocol === 'https:'
        ? https.request({
            ...options,
            minVersion: 'TLSv1.2',
            ...(socket
              ? {
                  createConnection: () =>
                    tls.connect({ socket, servername: targetHost, minVersion: 'TLSv1.2' }),
                }
              : {}),
          })
        : proxy !== undefined
          ? // A plain-HTTP TSA through the proxy: the request line carries the absolute URL.
            http.request({
              method: 'POST',
              host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
              port: proxy.port === '' ? 80 : Number(proxy.port),
              path: url.href.replace(/#.*$/, ''),
              headers: {
                ...headers,
                Host: url.host,
                ...(proxyAuth ? { 'Proxy-Authorization': proxyAuth } : {}),
              },
            })
          : http.request(options);

    const finish = (outcome: { answer: HttpAnswer } | { failure: AttemptFailure | KysoError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if ('answer' in outcome) resolve(outcome.answer);
      else {
        request.destroy();
        reject(outcome.failure);
      }
    };
    const onAbort = (): void => finish({ failure: cancelledError() });
    const timer = setTimeout(() => {
      finish({
        failure: fail(
          'TSA_TIMEOUT',
          `the TSA ${where} did not answer within ${timeoutMs} ms`,
          { url: where, timeoutMs },
          true,
        ),
      });
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error) => finish({ failure: networkFailure(error, where) }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > MAX_RESPONSE_BYTES) {
          finish({
            failure: fail(
              'TSA_BAD_RESPONSE',
              `the TSA ${where} sent an oversized answer`,
              { url: where, reason: 'too-large' },
              false,
            ),
          });
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => finish({ failure: networkFailure(error, where) }));
      // the connection dropped before the whole body arrived (no-op once 'end' has settled)
      response.on('close', () => {
        if (!response.complete) finish({ failure: networkFailure({ code: 'ECONNRESET' }, where) });
      });
      response.on('end', () => {
        finish({
          answer: {
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'],
            body: new Uint8Array(Buffer.concat(chunks)),
          },
        });
      });
    });
    request.end(body);
  });
}

const PKI_STATUS = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

const FAIL_INFO: Readonly<Record<number, string>> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

function failInfoNames(bits: asn1js.BitString | undefined): string | undefined {
  if (bits === undefined) return undefined;
  const bytes = bits.valueBlock.valueHexView;
  const names: string[] = [];
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0) names.push(FAIL_INFO[bit] ?? `bit${bit}`);
  }
  return names.length === 0 ? undefined : names.join(',');
}

/** Checks a TimeStampResp against our request; returns the token's DER. */
async function readResponse(
  answer: HttpAnswer,
  request: TimestampRequest,
  nonce: Uint8Array,
  where: string,
): Promise<TimestampResult> {
  const badResponse = (reason: string, message: string, cause?: unknown): AttemptFailure =>
    fail(
      'TSA_BAD_RESPONSE',
      message,
      {
        url: where,
        reason,
        ...(answer.contentType === undefined ? {} : { contentType: answer.contentType }),
      },
      false,
      cause,
    );
  const schema = decode(answer.body);
  let response: pkijs.TimeStampResp;
  try {
    if (schema === undefined) throw new Error('not DER');
    response = new pkijs.TimeStampResp({ schema });
  } catch (cause) {
    throw badResponse(
      'not-timestamp-response',
      `the TSA ${where} did not answer with a timestamp response`,
      cause,
    );
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const statusString = response.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    const failInfo = failInfoNames(response.status.failInfo);
    throw fail(
      'TSA_REJECTED',
      `the TSA ${where} refused the request (${PKI_STATUS[status] ?? status})`,
      {
        url: where,
        status: PKI_STATUS[status] ?? String(status),
        ...(failInfo === undefined ? {} : { failInfo }),
        ...(statusString === undefined || statusString === '' ? {} : { statusString }),
      },
      false,
    );
  }
  const tokenElement = schema instanceof asn1js.Sequence ? schema.valueBlock.value[1] : undefined;
  if (tokenElement === undefined) {
    throw badResponse('no-token', `the TSA ${where} granted the request but sent no token`);
  }
  const token = new Uint8Array(tokenElement.valueBeforeDecodeView);

  let verified: Awaited<ReturnType<typeof verifyTimestampToken>>;
  try {
    verified = await verifyTimestampToken(token, request.data);
  } catch (cause) {
    if (cause instanceof KysoError) {
      const reason = typeof cause.details['reason'] === 'string' ? cause.details['reason'] : 'invalid-token';
      throw badResponse(reason, `the TSA ${where} sent an invalid token: ${cause.message}`, cause);
    }
    throw cause;
  }
  if (verified.imprint.digest !== request.digest) {
    throw badResponse('imprint-mismatch', `the TSA ${where} hashed with another algorithm than requested`);
  }
  const expected = BigInt(`0x${Buffer.from(nonce).toString('hex')}`);
  if (verified.nonce !== expected) {
    throw badResponse('nonce-mismatch', `the TSA ${where} answered another request (nonce mismatch)`);
  }
  if (request.policyOid !== undefined && verified.policy !== request.policyOid) {
    throw badResponse('policy-mismatch', `the TSA ${where} used another policy than requested`);
  }
  return {
    token,
    genTime: verified.genTime,
    tsaCertificate: verified.tsaCertificate,
    serialNumber: verified.serialNumber,
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Asks the TSA at `request.url` for a timestamp over `request.data` and checks the answer.
 * Errors: TSA_UNREACHABLE, TSA_TIMEOUT, TSA_AUTH_FAILED (HTTP 401/403), TSA_REJECTED (with the
 * TSA's status, failInfo and statusString in details), TSA_BAD_RESPONSE, CANCELLED. Timeouts, 5xx
 * answers and unreachable TSAs are retried `retries` times with exponential backoff. Credentials
 * never appear in errors or events.
 */
export async function requestTimestamp(request: TimestampRequest): Promise<TimestampResult> {
  const { signal } = request;
  throwIfCancelled(signal);
  const url = parseUrl(request.url);
  const where = displayUrl(url);
  const authHeader = authorization(url, request.auth);
  const timeoutMs = request.timeoutMs ?? 30_000;
  const retries = Math.max(0, Math.floor(request.retries ?? 2));
  const baseDelay = request.retryDelayMs ?? 1000;

  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(signal);
    request.onEvent?.({ kind: 'tsa-waiting', attempt, url: where });
    let failure: AttemptFailure;
    try {
      const nonce = newNonce();
      const body = timeStampReq(request.digest, request.data, nonce, request.policyOid);
      const answer = await post(url, body, authHeader, timeoutMs, signal, request.proxy);
      if (answer.status === 401 || answer.status === 403) {
        throw fail(
          'TSA_AUTH_FAILED',
          `the TSA ${where} refused our credentials (HTTP ${answer.status})`,
          {
            url: where,
            httpStatus: answer.status,
          },
          false,
        );
      }
      if (answer.status !== 200) {
        throw fail(
          'TSA_BAD_RESPONSE',
          `the TSA ${where} answered HTTP ${answer.status}`,
          { url: where, httpStatus: answer.status, reason: 'http-status' },
          answer.status >= 500,
        );
      }
      const result = await readResponse(answer, request, nonce, where);
      throwIfCancelled(signal);
      return result;
    } catch (error) {
      if (error instanceof AttemptFailure) failure = error;
      else if (error instanceof KysoError)
        throw error; // CANCELLED and the like
      else throw new KysoError('INTERNAL', 'timestamp request failed', { cause: error });
    }
    if (!failure.retryable || attempt > retries) {
      const { error } = failure;
      throw new KysoError(error.code, error.message, {
        details: { ...error.details, attempts: attempt },
        ...(error.cause === undefined ? {} : { cause: error.cause }),
      });
    }
    const delayMs = Math.min(baseDelay * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
    request.onEvent?.({ kind: 'tsa-retry', attempt: attempt + 1, delayMs, reason: failure.error.code });
    await sleep(delayMs, signal);
  }
}

/** A {@link TimestampFunction} for `buildSignedData` that asks the TSA described by `options`. */
export function tsaTimestamper(options: TimestampRequestOptions): TimestampFunction {
  return async (signatureValue, signal) => {
    const effectiveSignal = signal ?? options.signal;
    const result = await requestTimestamp({
      ...options,
      data: signatureValue,
      ...(effectiveSignal === undefined ? {} : { signal: effectiveSignal }),
    });
    return result.token;
  };
}
