// Fetches revocation data when the user allows network access (`--online`): an OCSP response from
// the responder named in the certificate's Authority Information Access (RFC 6960, HTTP POST), else
// the CRL from its CRL distribution point (RFC 5280 §4.2.1.13). Every failure is "no data": the
// caller reports revocation as not checked, never as good.
import * as pkijs from 'pkijs';
import type { PoolCertificate } from './certificate-pool.js';

const AIA = '1.3.6.1.5.5.7.1.1';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const CRL_DP = '2.5.29.31';
const MAX_RESPONSE = 20 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;

export interface OnlineOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

function httpUrls(names: readonly pkijs.GeneralName[] | undefined): string[] {
  return (names ?? [])
    .filter((n) => n.type === 6 && typeof n.value === 'string')
    .map((n) => String(n.value))
    .filter((u) => /^https?:\/\//i.test(u));
}

export function ocspUrls(c: PoolCertificate): string[] {
  const parsed: unknown = c.cert.extensions?.find((e) => e.extnID === AIA)?.parsedValue;
  if (!(parsed instanceof pkijs.InfoAccess)) return [];
  return httpUrls(
    parsed.accessDescriptions.filter((d) => d.accessMethod === AD_OCSP).map((d) => d.accessLocation),
  );
}

export function crlUrls(c: PoolCertificate): string[] {
  const parsed: unknown = c.cert.extensions?.find((e) => e.extnID === CRL_DP)?.parsedValue;
  if (!(parsed instanceof pkijs.CRLDistributionPoints)) return [];
  return parsed.distributionPoints.flatMap((p) =>
    Array.isArray(p.distributionPoint) ? httpUrls(p.distributionPoint) : [],
  );
}

async function fetchBytes(
  url: string,
  init: RequestInit,
  options: OnlineOptions,
): Promise<Uint8Array | undefined> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const res = await fetch(url, { ...init, signal, redirect: 'follow' });
    if (!res.ok) return undefined;
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > MAX_RESPONSE) return undefined;
    const body = new Uint8Array(await res.arrayBuffer());
    return body.length > MAX_RESPONSE ? undefined : body;
  } catch {
    return undefined;
  }
}

/** An OCSPResponse DER for `cert` from its responder, or undefined. */
export async function fetchOcspResponse(
  cert: PoolCertificate,
  issuer: PoolCertificate,
  options: OnlineOptions = {},
): Promise<Uint8Array | undefined> {
  const urls = ocspUrls(cert);
  if (urls.length === 0) return undefined;
  let body: Uint8Array;
  try {
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(cert.cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer.cert });
    body = new Uint8Array(request.toSchema(true).toBER(false));
  } catch {
    return undefined;
  }
  for (const url of urls) {
    const answer = await fetchBytes(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/ocsp-request' }, body },
      options,
    );
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/** A CRL DER from `cert`'s distribution points, or undefined. */
export async function fetchCrl(
  cert: PoolCertificate,
  options: OnlineOptions = {},
): Promise<Uint8Array | undefined> {
  for (const url of crlUrls(cert)) {
    const answer = await fetchBytes(url, { method: 'GET' }, options);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
