// Checks the signature of an OCSP response or a CRL with a certificate's public key, through the
// pkijs crypto engine (Node's WebCrypto): RSA PKCS#1 v1.5, RSA-PSS and ECDSA, as CAs use them.
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationCertificate } from './revocation-certificate.js';

export async function isSignedBy(
  tbs: Uint8Array,
  signature: asn1js.BitString,
  algorithm: pkijs.AlgorithmIdentifier,
  signer: RevocationCertificate,
): Promise<boolean> {
  const engine = pkijs.getEngine().crypto;
  if (engine === null) return false;
  try {
    return await engine.verifyWithPublicKey(
      new Uint8Array(tbs),
      signature,
      signer.cert.subjectPublicKeyInfo,
      algorithm,
    );
  } catch {
    return false;
  }
}
