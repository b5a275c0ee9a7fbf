// The validation data of one certificate (ETSI EN 319 102-1 §5.6.2, what B-LT keeps): its chain up
// to a self-signed root, completed from the certificates at hand and then by AIA chasing, and the
// revocation status of every certificate of the chain but the root, with the OCSP responses, CRLs
// and responder certificates that prove it. Delegated OCSP responders are checked in turn unless
// they carry id-pkix-ocsp-nocheck.
import {
  isIssuedBy,
  isSelfSigned,
  readRevocationCertificate,
  type RevocationCertificate,
} from './revocation-certificate.js';
import type { RevocationClient, RevocationProblem, RevocationStatus } from './revocation-client.js';

const MAX_CHAIN = 10;

export interface ValidationData {
  /** Leaf first; ends at a self-signed root when `complete`. */
  readonly chain: readonly RevocationCertificate[];
  readonly complete: boolean;
  /** The status of every certificate of the chain but its root (and of delegated responders). */
  readonly statuses: readonly RevocationStatus[];
  /** DER of everything a verifier needs, without duplicates. */
  readonly certificates: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** What could not be fetched or used. */
  readonly problems: readonly RevocationProblem[];
}

/** A deduplicating list of DER blobs. */
export class DerSet {
  private readonly seen = new Set<string>();
  readonly items: Uint8Array[] = [];

  add(der: Uint8Array): void {
    const key = Buffer.from(der).toString('base64');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(der);
  }
}

/** `leaf`'s issuers, from `pool` first, then downloaded (AIA caIssuers). */
export async function completeChain(
  client: RevocationClient,
  leaf: RevocationCertificate,
  pool: readonly RevocationCertificate[],
): Promise<{ chain: RevocationCertificate[]; complete: boolean }> {
  const chain = [leaf];
  let current = leaf;
  while (chain.length < MAX_CHAIN) {
    if (isSelfSigned(current)) return { chain, complete: true };
    const seen = new Set(chain.map((c) => c.fingerprint));
    let issuer = pool.find((c) => !seen.has(c.fingerprint) && isIssuedBy(current, c));
    issuer ??= await client.fetchIssuer(current);
    if (issuer === undefined || seen.has(issuer.fingerprint)) return { chain, complete: false };
    chain.push(issuer);
    current = issuer;
  }
  return { chain, complete: false };
}

export interface CollectOptions {
  /** Other certificates at hand (the CMS's, the DSS's, configured intermediates), DER. */
  readonly pool?: readonly Uint8Array[];
}

/** Collects the chain and revocation evidence of `certificate` (DER). */
export async function collectValidationData(
  client: RevocationClient,
  certificate: Uint8Array,
  options: CollectOptions = {},
): Promise<ValidationData> {
  const leaf = readRevocationCertificate(certificate);
  if (leaf === undefined) {
    return { chain: [], complete: false, statuses: [], certificates: [], ocsps: [], crls: [], problems: [] };
  }
  const pool = (options.pool ?? [])
    .map((der) => readRevocationCertificate(der))
    .filter((c): c is RevocationCertificate => c !== undefined);
  const before = client.problems.length;
  const { chain, complete } = await completeChain(client, leaf, pool);
  const certificates = new DerSet();
  const ocsps = new DerSet();
  const crls = new DerSet();
  const statuses: RevocationStatus[] = [];
  for (const c of chain) certificates.add(c.der);

  const checked = new Set<string>();
  const check = async (
    cert: RevocationCertificate,
    issuer: RevocationCertificate,
    depth: number,
  ): Promise<void> => {
    if (checked.has(cert.fingerprint)) return;
    checked.add(cert.fingerprint);
    const status = await client.status(cert, issuer);
    statuses.push(status);
    if (status.ocsp) ocsps.add(status.ocsp);
    for (const crl of status.crls) crls.add(crl);
    for (const responder of status.certificates) {
      certificates.add(responder.der);
      // A delegated responder without ocsp-nocheck needs its own status (one level is enough:
      // its issuer is the CA we just asked about).
      if (depth === 0) await check(responder, issuer, depth + 1);
    }
  };
  for (let i = 0; i + 1 < chain.length; i++) await check(chain[i]!, chain[i + 1]!, 0);

  return {
    chain,
    complete,
    statuses,
    certificates: certificates.items,
    ocsps: ocsps.items,
    crls: crls.items,
    problems: client.problems.slice(before),
  };
}
