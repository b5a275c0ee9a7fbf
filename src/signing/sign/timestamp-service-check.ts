// "Kiểm tra kết nối" for the TSA: one real timestamp request (a random hash, no retry), through the
// configured proxy, with the answer checked as a signature's would be. IT staff see at once whether
// the office's TSA URL, proxy and firewall let Kyso reach the TSA, before a chairman's signature
// depends on it. Failures are the client's own codes (TSA_UNREACHABLE, TSA_TIMEOUT, TSA_BAD_RESPONSE,
// TSA_REJECTED, TSA_AUTH_FAILED, PROXY_*), with what the user can do in their messages.
import { randomBytes } from 'node:crypto';
import type { ProxySettings } from '../net/http-proxy.js';
import { parseCertificate } from '../x509/certificate-info.js';

export interface TimestampServiceCheckRequest {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly policyOid?: string;
  readonly proxy?: ProxySettings;
  readonly signal?: AbortSignal;
}

export interface TimestampServiceCheck {
  readonly url: string;
  /** The CN (or DN) of the certificate that signed the token, when the TSA sent it. */
  readonly tsaName: string | null;
  readonly genTime: Date;
  /** From sending the request to the checked answer. */
  readonly elapsedMs: number;
}

export async function checkTimestampService(
  request: TimestampServiceCheckRequest,
): Promise<TimestampServiceCheck> {
  // Loaded on use: kyso/sign's entry must not bring the timestamp client (pkijs, asn1js) into a
  // plain signature's start-up.
  const { requestTimestamp } = await import('../cms/timestamp-client.js');
  const started = performance.now();
  const result = await requestTimestamp({
    url: request.url,
    digest: 'sha256',
    data: randomBytes(32),
    retries: 0,
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    ...(request.policyOid !== undefined ? { policyOid: request.policyOid } : {}),
    ...(request.proxy !== undefined ? { proxy: request.proxy } : {}),
    ...(request.signal !== undefined ? { signal: request.signal } : {}),
  });
  let tsaName: string | null = null;
  if (result.tsaCertificate !== undefined) {
    try {
      const info = parseCertificate(result.tsaCertificate);
      tsaName = info.subjectCN ?? info.subjectDN;
    } catch {
      tsaName = null; // the token was verified; only its certificate's description is missing
    }
  }
  return {
    url: request.url,
    tsaName,
    genTime: result.genTime,
    elapsedMs: Math.round(performance.now() - started),
  };
}
