// Orders a signer's issuing certificates (leaf's issuer first, up to a self-signed root) out of an
// unordered pool: the token's CA objects, a PKCS#12 bag, configured intermediates. Issuers are found
// by signature, never by name alone (two CAs can share a name).
import { X509Certificate } from 'node:crypto';

function isIssuer(child: X509Certificate, candidate: X509Certificate): boolean {
  try {
    return child.checkIssued(candidate) && child.verify(candidate.publicKey);
  } catch {
    return false;
  }
}

export function orderCertificateChain(leaf: Uint8Array, pool: readonly Uint8Array[]): Uint8Array[] {
  const certs = pool.map((der) => ({ der, x509: new X509Certificate(Buffer.from(der)) }));
  const leafX509 = new X509Certificate(Buffer.from(leaf));
  const seen = new Set<string>([leafX509.fingerprint256]);
  const chain: Uint8Array[] = [];
  let current = leafX509;
  for (;;) {
    if (current.checkIssued(current) && current !== leafX509) break; // reached a self-signed root
    const next = certs.find((c) => !seen.has(c.x509.fingerprint256) && isIssuer(current, c.x509));
    if (!next) break;
    chain.push(next.der);
    seen.add(next.x509.fingerprint256);
    current = next.x509;
  }
  return chain;
}
