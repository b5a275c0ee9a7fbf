// The signer's revocation policy as signing sees it: the types and the reading of the settings
// file. Kept apart from signing-long-term.ts so that a B-B signature can carry the policy without
// loading the OCSP/CRL client (pkijs, HTTP), which it only needs for B-LT/B-LTA or a forced check.
import { kysoHome } from '../home.js';
import { revocationOptionsFromSettings } from '../revocation/revocation-settings.js';
import type {
  RevocationClient,
  RevocationOptions,
  RevocationProblem,
} from '../revocation/revocation-client.js';
import type { Settings } from '../settings.js';

export interface SigningRevocationPolicy {
  /** OCSP/CRL behaviour, or a client shared with other work (a batch). Default: online, cache in KYSO_HOME. */
  readonly client?: RevocationOptions | RevocationClient;
  /** When to check the signer's certificate before signing. Default 'long-term' (B-LT and B-LTA). */
  readonly checkBeforeSigning?: 'always' | 'long-term' | 'never';
  /** A status that cannot be checked: sign and report it, or refuse. Default 'warn'. */
  readonly whenUnavailable?: 'warn' | 'refuse';
  /** Certificates that may complete chains in the DSS (configured intermediates). */
  readonly extraCertificates?: readonly Uint8Array[];
  readonly renewBeforeDays?: number;
}

export interface SignerRevocationSummary {
  /** good: checked and not revoked; unknown: could not be checked (see problems); not-checked: policy. */
  readonly status: 'good' | 'unknown' | 'not-checked';
  readonly source: 'ocsp' | 'crl' | null;
  readonly problems: readonly RevocationProblem[];
}

/** The signing policy of the settings file (revocation section, network proxy, intermediates). */
export function signingRevocationPolicyFromSettings(
  settings: Settings,
  extraCertificates: readonly Uint8Array[] = [],
  home: string = kysoHome(),
): SigningRevocationPolicy {
  return {
    client: revocationOptionsFromSettings(settings, home),
    checkBeforeSigning: settings.revocation.checkBeforeSigning,
    whenUnavailable: settings.revocation.whenUnavailable,
    renewBeforeDays: settings.ltv.renewBeforeDays,
    ...(extraCertificates.length > 0 ? { extraCertificates } : {}),
  };
}
