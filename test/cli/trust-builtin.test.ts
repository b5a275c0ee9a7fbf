// The built-in Vietnamese trust list: the generated module is exactly what trust/vn's files give
// (scripts/generate-trust-list.mjs --check), each certificate matches its manifest line (SHA-256,
// subject, validity, root or intermediate), the published fingerprints of the main roots are
// there, and loadTrustStore loads them as anchors and path builders unless told not to.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_TRUST_LIST } from '../../src/signing/verify/builtin-trust-list.js';
import { loadTrustStore } from '../../src/signing/verify/trust-store.js';

const root = path.resolve(import.meta.dirname, '../..');
const folder = path.join(root, 'trust/vn');

interface ManifestLine {
  file: string;
  name: string;
  role: 'root' | 'intermediate';
  subject: string;
  issuer: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  source: { repository: string; commit: string; path: string };
  checkAt: string;
}

const manifest = readFileSync(path.join(folder, 'MANIFEST.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as ManifestLine);

function derOf(file: string): Buffer {
  const pem = readFileSync(path.join(folder, file), 'latin1');
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!body) throw new Error(`${file}: no certificate`);
  return Buffer.from(body[1]!.replace(/\s+/g, ''), 'base64');
}

const home = mkdtempSync(path.join(os.tmpdir(), 'kyso-builtin-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the built-in trust list', () => {
  it('the generated module is what the committed files give', () => {
    execFileSync(process.execPath, [path.join(root, 'scripts/generate-trust-list.mjs'), '--check']);
    expect(BUILTIN_TRUST_LIST.map((c) => c.sha256)).toEqual(manifest.map((m) => m.sha256));
  });

  it('every certificate matches its manifest line', () => {
    for (const [i, m] of manifest.entries()) {
      const der = derOf(m.file);
      expect(createHash('sha256').update(der).digest('hex'), m.file).toBe(m.sha256);
      expect(BUILTIN_TRUST_LIST[i]!.der, m.file).toBe(der.toString('base64'));
      expect(BUILTIN_TRUST_LIST[i]!.role, m.file).toBe(m.role);
      const x = new X509Certificate(der);
      expect(x.subject.split('\n').join(', '), m.file).toBe(m.subject);
      expect(new Date(x.validFrom).toISOString(), m.file).toBe(m.notBefore);
      expect(new Date(x.validTo).toISOString(), m.file).toBe(m.notAfter);
      const selfSigned = x.checkIssued(x) && x.verify(x.publicKey);
      expect(selfSigned ? 'root' : 'intermediate', m.file).toBe(m.role);
      expect(x.ca, m.file).toBe(true);
      expect(m.source.repository, m.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(m.source.commit, m.file).toMatch(/^[0-9a-f]{40}$/);
      expect(['https://ca.gov.vn', 'https://rootca.gov.vn'], m.file).toContain(m.checkAt);
    }
  });

  it('holds the roots named by the issue, with their published fingerprints', () => {
    const roots = new Map(manifest.filter((m) => m.role === 'root').map((m) => [m.sha256, m.name]));
    // RootCA chuyên dùng Chính phủ G2, Vietnam National Root CA (2014) and G3 (2024).
    for (const fp of [
      'f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8',
      'bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7',
      '7b3269e7d79aebbfae5095f45bbb7074771e690cb7df02b441062b12f7690ece',
    ])
      expect(roots.has(fp), fp).toBe(true);
    const names = [...roots.values()].join(' | ');
    for (const n of ['RS (2025)', 'TSA (2025)', 'MIC National Root CA', 'RootCA, 2010'])
      expect(names).toContain(n);
  });

  it('loads as anchors and intermediates, and not with builtin: false', async () => {
    const store = await loadTrustStore({ managed: false, home });
    const rootCount = manifest.filter((m) => m.role === 'root').length;
    expect(store.anchors).toHaveLength(rootCount);
    expect(store.intermediates).toHaveLength(manifest.length - rootCount);
    for (const m of manifest) expect(store.sourceOf(m.sha256), m.file).toEqual({ kind: 'builtin' });
    // Intermediates chain to a root of the list, by signature.
    const byFp = new Map(store.anchors.map((a) => [a.fingerprint, a]));
    for (const c of store.intermediates) {
      const parent = [...byFp.values()].find(
        (a) => c.x509.checkIssued(a.x509) && c.x509.verify(a.x509.publicKey),
      );
      expect(parent, c.fingerprint).toBeDefined();
    }
    const none = await loadTrustStore({ managed: false, builtin: false, home });
    expect(none.anchors).toHaveLength(0);
  });
});
