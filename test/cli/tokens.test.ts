// `kyso tokens` and `kyso doctor` as users run them, on real SoftHSM tokens.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, FAULTY_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { runKyso } from '../support/run-cli.js';

let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const { conf } = freshTokens();
  env = { SOFTHSM2_CONF: conf, KYSO_HOME: mkdtempSync(path.join(os.tmpdir(), 'kyso-home-')), KYSO_LANG: '' };
});

interface Listing {
  modules: Array<{
    path: string;
    loaded: boolean;
    slots: Array<{
      token: null | {
        label: string;
        serial: string;
        pinState: string;
        flags: Record<string, boolean>;
        keysWithoutCertificate: string[];
        certificates: Array<Record<string, unknown>>;
      };
    }>;
  }>;
}

describe('kyso tokens', () => {
  it('--json lists modules → slots → tokens → certificates with every Vietnamese name exact', async () => {
    const r = await runKyso(['tokens', '--module', SOFTHSM_MODULE, '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const listing = JSON.parse(r.stdout) as Listing;
    const tokens = listing.modules[0]!.slots.flatMap((s) => (s.token ? [s.token] : []));
    const chairman = tokens.find((t) => t.label === CHAIRMAN_TOKEN)!;
    expect(chairman.serial).toBe(testToken(CHAIRMAN_TOKEN).serial);
    expect(chairman.pinState).toBe('ok');
    expect(chairman.flags).toMatchObject({
      loginRequired: true,
      userPinInitialized: true,
      userPinLocked: false,
    });
    const nhung = chairman.certificates.find((c) => c['id'] === '01')!;
    expect(nhung).toMatchObject({
      subjectCN: 'Nguyễn Thị Hồng Nhung',
      keyType: 'rsa',
      keySize: 2048,
      isAuthority: false,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
    });
    expect(nhung['subjectDN']).toContain('title=Chủ tịch');
    expect(nhung['subjectDN']).toContain('O=UBND phường Đoàn Kết');
    expect(nhung['subjectDN']).toContain('L=Phường Đoàn Kết');
    expect(nhung['subjectDN']).toContain('ST=Thành phố Hà Nội');
    const deputy = chairman.certificates.find((c) => c['id'] === '02')!;
    expect(deputy).toMatchObject({
      subjectCN: 'Trần Đức Thắng',
      keyType: 'ec',
      keySize: 256,
      curve: 'P-256',
    });
    const clerkCerts = tokens.flatMap((t) => t.certificates).map((c) => c['subjectCN']);
    expect(clerkCerts).toEqual(
      expect.arrayContaining([
        'UBND phường Đoàn Kết',
        'Lê Thị Ánh Tuyết',
        'Phạm Văn Hết Hạn',
        'Hoàng Thị Chưa Đến',
        'Đỗ Văn Không Ký',
      ]),
    );
  });

  it('prints a readable Vietnamese listing by default, English with --lang en', async () => {
    const vi = await runKyso(['tokens', '--module', SOFTHSM_MODULE], { env });
    expect(vi.code).toBe(0);
    expect(vi.stdout).toContain(`"${CHAIRMAN_TOKEN}"`);
    expect(vi.stdout).toContain('Nguyễn Thị Hồng Nhung');
    expect(vi.stdout).toContain('PIN: bình thường');
    const en = await runKyso(['tokens', '--module', SOFTHSM_MODULE, '--lang', 'en'], { env });
    expect(en.stdout).toContain('PIN: ok');
  });

  it('with a PIN, logs in to the chosen token and shows the key without a certificate', async () => {
    const r = await runKyso(
      ['tokens', '--module', SOFTHSM_MODULE, '--json', '--token', FAULTY_TOKEN, '--pin-stdin'],
      {
        env,
        input: `${testToken(FAULTY_TOKEN).pin}\n`,
      },
    );
    expect(r.stderr).toBe('');
    const listing = JSON.parse(r.stdout) as Listing;
    const faulty = listing.modules[0]!.slots.flatMap((s) => (s.token ? [s.token] : [])).find(
      (t) => t.label === FAULTY_TOKEN,
    )!;
    expect(faulty.keysWithoutCertificate).toEqual(['04']);
  });

  it('a library that does not exist: one clear line, a code, exit 1, no stack trace', async () => {
    const r = await runKyso(['tokens', '--module', '/nonexistent/libvnpt.so'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('PKCS11_MODULE_NOT_FOUND');
    const j = await runKyso(['tokens', '--module', '/nonexistent/libvnpt.so', '--json'], { env });
    expect(JSON.parse(j.stdout).modules[0]).toMatchObject({
      loaded: false,
      error: { code: 'PKCS11_MODULE_NOT_FOUND' },
    });
  });

  it('usage errors exit 2 with one line', async () => {
    const r = await runKyso(['tokens', '--bogus'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kyso: .*\[USAGE\]$/m);
    const unknown = await runKyso(['frobnicate'], { env });
    expect(unknown.code).toBe(2);
    const pin = await runKyso(['tokens', '--pin', '1234'], { env });
    expect(pin.code).toBe(2); // there is no option that takes the PIN on the command line
  });
});

describe('kyso doctor', () => {
  it('reports libraries, tokens, PIN states and expiring certificates, and writes a shareable file', async () => {
    const r = await runKyso(['doctor', '--module', SOFTHSM_MODULE, '--json'], { env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      system: { arch: string };
      warnings: Array<{ kind: string; message: string }>;
      modules: unknown[];
    };
    expect(report.system.arch).toBe(process.arch);
    expect(
      report.warnings.some((w) => w.kind === 'certificate-expired' && w.message.includes('Phạm Văn Hết Hạn')),
    ).toBe(true);
    const reports = readdirSync(path.join(env['KYSO_HOME']!, 'reports'));
    expect(reports.some((f) => f.startsWith('kyso-doctor-') && f.endsWith('.json'))).toBe(true);
    const saved = readFileSync(
      path.join(
        env['KYSO_HOME']!,
        'reports',
        reports.find((f) => f.endsWith('.json'))!,
      ),
      'utf8',
    );
    expect(JSON.parse(saved)).toEqual(report);
    for (const t of [CHAIRMAN_TOKEN, FAULTY_TOKEN])
      expect(saved).not.toContain(testToken(t).pin.length > 4 ? testToken(t).pin : '\u0000');
  });
});
