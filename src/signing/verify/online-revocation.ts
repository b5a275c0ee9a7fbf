// Fetches revocation data when the user allows network access (`--online`), through the engine's
// RevocationClient (src/signing/revocation): OCSP from the responder the certificate names (with a
// nonce and the responder-authority checks), else its CRLs, with the proxy, the cache and the retries
// of the settings. Every failure is "no data": the caller reports revocation as not checked, never as
// good.
import { KysoError, isKysoError } from '../../shared/errors.js';
import { readRevocationCertificate, type RevocationClient } from '../revocation/index.js';
import type { PoolCertificate } from './certificate-pool.js';
import type { RevocationSources } from './revocation-check.js';

/** The OCSP response or CRLs the client found for `cert` now (empty when none). */
export async function fetchRevocation(
  client: RevocationClient,
  cert: PoolCertificate,
  issuer: PoolCertificate,
): Promise<RevocationSources> {
  const c = readRevocationCertificate(cert.der);
  const i = readRevocationCertificate(issuer.der);
  if (c === undefined || i === undefined) return { ocsps: [], crls: [] };
  try {
    const status = await client.status(c, i);
    if (status.status === 'unknown' && status.ocsp === undefined) return { ocsps: [], crls: [] };
    return { ocsps: status.ocsp ? [status.ocsp] : [], crls: [...status.crls] };
  } catch (err) {
    if (isKysoError(err) && err.code === 'CANCELLED')
      throw new KysoError('CANCELLED', 'Verification was cancelled.');
    return { ocsps: [], crls: [] };
  }
}
