// `kyso doctor` for IT staff: which known token libraries exist on this machine, which load, which
// tokens and certificates are present, PIN states and certificates about to expire. The report holds
// no secrets (no PIN is asked) and can be sent to a help desk as it is.
import os from 'node:os';
import { kysoHome } from './home.js';
import { loadEffectiveSettings } from './settings.js';
import { catalogueCandidates } from './pkcs11/module-catalogue.js';
import { probeModule, type ProbeResult } from './pkcs11/module-probe.js';
import { resolveModuleRequests, TokenManager } from './pkcs11/token-manager.js';
import { takeInventory, type InventoryModule } from './pkcs11/token-inventory.js';

export interface DiagnosticWarning {
  readonly kind:
    | 'certificate-expiring'
    | 'certificate-expired'
    | 'pin-state'
    | 'module-failed'
    | 'module-wrong-architecture'
    | 'no-token'
    | 'policy-invalid';
  readonly message: string;
  /** The stable error code behind the warning, when there is one (POLICY_INVALID). */
  readonly code?: string;
  /** module-wrong-architecture: the library, its architecture and Kyso's (the build to install). */
  readonly path?: string;
  readonly arch?: string;
  readonly processArch?: string;
}

/** The machine policy as the report shows it. */
export interface DiagnosticPolicy {
  readonly file: string;
  readonly status: 'absent' | 'applied' | 'invalid';
  /** For invalid: what is wrong (the safest settings apply instead). */
  readonly problem: string | null;
  /** The keys locked by the policy (or, when it is invalid, by the safest settings), with their reason. */
  readonly locked: ReadonlyArray<{ readonly key: string; readonly reason: string | null }>;
}

export interface DiagnosticReport {
  readonly generatedAt: string;
  readonly system: {
    readonly os: string;
    readonly release: string;
    readonly arch: string;
    readonly node: string;
    readonly kysoHome: string;
  };
  /** Every catalogue path that exists here, with the probe's verdict. */
  readonly catalogue: ReadonlyArray<{
    readonly vendor: string;
    readonly token: string;
    readonly probe: ProbeResult;
  }>;
  readonly catalogueSearched: number;
  readonly policy: DiagnosticPolicy;
  readonly modules: readonly InventoryModule[];
  readonly warnings: readonly DiagnosticWarning[];
}

const DAY = 86_400_000;

export async function diagnose(
  options: { modules?: readonly string[]; now?: Date } = {},
): Promise<DiagnosticReport> {
  const now = options.now ?? new Date();
  const effective = await loadEffectiveSettings();
  const { settings, policy } = effective;
  const candidates = catalogueCandidates();
  const catalogue: DiagnosticReport['catalogue'][number][] = [];
  for (const c of candidates) {
    const probe = await probeModule(c.path);
    if (probe.outcome !== 'not-found')
      catalogue.push({ vendor: c.entry.vendor, token: c.entry.token, probe });
  }
  const requests = resolveModuleRequests({
    explicit: options.modules ?? [],
    settings: settings.pkcs11.modules,
    // Libraries locked by the machine policy: KYSO_PKCS11_MODULE adds none.
    env: effective.lockOf('pkcs11.modules') === null ? process.env : {},
    catalogue: settings.pkcs11.searchCatalogue,
  });
  const manager = await TokenManager.open(requests);
  let modules: InventoryModule[];
  try {
    modules = takeInventory(manager);
  } finally {
    manager.close();
  }
  const warnings: DiagnosticWarning[] = [];
  if (policy.status === 'invalid') {
    warnings.push({
      kind: 'policy-invalid',
      code: 'POLICY_INVALID',
      message: `${policy.file}: ${policy.problem ?? ''} (the safest settings apply)`,
    });
  }
  for (const m of modules) {
    if (!m.loaded && m.error?.reason === 'wrong-architecture') {
      const arch = m.error.arch ?? 'unknown';
      warnings.push({
        kind: 'module-wrong-architecture',
        message: `${m.path} is ${arch}, Kyso runs as ${process.arch}: install the ${arch} build of Kyso`,
        path: m.path,
        arch,
        processArch: process.arch,
      });
    } else if (!m.loaded)
      warnings.push({
        kind: 'module-failed',
        message: `${m.path}: ${m.error?.code ?? ''} ${m.error?.message ?? ''}`,
      });
    for (const s of m.slots) {
      const t = s.token;
      if (!t) continue;
      if (t.pinState !== 'ok')
        warnings.push({ kind: 'pin-state', message: `"${t.label}" (${t.serial}): PIN ${t.pinState}` });
      for (const c of t.certificates) {
        if (c.isAuthority) continue;
        const left = (Date.parse(c.notAfter) - now.getTime()) / DAY;
        if (left < 0)
          warnings.push({
            kind: 'certificate-expired',
            message: `${c.subjectCN ?? c.subjectDN} expired ${c.notAfter}`,
          });
        else if (left <= 30)
          warnings.push({
            kind: 'certificate-expiring',
            message: `${c.subjectCN ?? c.subjectDN} expires ${c.notAfter} (${Math.floor(left)} days)`,
          });
      }
    }
  }
  if (!modules.some((m) => m.slots.some((s) => s.token)))
    warnings.push({ kind: 'no-token', message: 'no token present' });
  return {
    generatedAt: now.toISOString(),
    system: {
      os: os.platform(),
      release: os.release(),
      arch: process.arch,
      node: process.version,
      kysoHome: kysoHome(),
    },
    catalogue,
    catalogueSearched: candidates.length,
    policy: {
      file: policy.file,
      status: policy.status,
      problem: policy.problem,
      locked: [...policy.policy.locks].map(([key, reason]) => ({ key, reason })),
    },
    modules,
    warnings,
  };
}
