#!/usr/bin/env node
// `npm run demo`: the main job on a fresh machine. Makes a sample Vietnamese decision, signs it as
// the chairman and then as the agency — on SoftHSM test tokens where SoftHSM is installed, otherwise
// with the demo identity — verifies the result with Kyso's verifier, and prints where it is.
// Uses only the engine's public API (dist/signing/index.js), as the app and other programs would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, '.tmp', 'demo');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
process.env.KYSO_HOME ??= path.join(work, 'home');

const engine = await import(path.join(root, 'dist/signing/index.js'));
const { signPdf, openDemoIdentity, TokenManager, Secret, verifyPdf, loadTrustStore, demoRootCertificate } =
  engine;

const say = (line) => process.stdout.write(`${line}\n`);
const input = path.join(work, 'quyet-dinh-123-QD-UBND.pdf');
execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), input]);
say(`Văn bản mẫu: ${input}`);

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';
const onPath = (cmd) =>
  execFileSync('bash', ['-c', `command -v ${cmd} || true`])
    .toString()
    .trim() !== '';
const haveSoftHsm = existsSync(SOFTHSM) && ['softhsm2-util', 'pkcs11-tool', 'openssl'].every(onPath);
let trust;
const signedByChairman = path.join(work, 'quyet-dinh-da-ky-chu-tich.pdf');
const output = path.join(work, 'quyet-dinh-da-ky.pdf');

if (haveSoftHsm) {
  // Test tokens from the committed scripts: a chairman's token and the agency's token.
  const fixtures = path.join(work, 'fixtures');
  execFileSync('bash', [path.join(root, 'fixtures/pki/make-all.sh'), fixtures], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.SOFTHSM2_CONF = path.join(fixtures, 'tokens-template', 'softhsm2.conf');
  const tokens = JSON.parse(
    readFileSync(path.join(fixtures, 'tokens-template', 'tokens.json'), 'utf8'),
  ).tokens;
  const pinOf = (label) => new Secret(tokens.find((t) => t.label === label).pin);
  const manager = await TokenManager.open([{ path: SOFTHSM, origin: 'option' }]);
  try {
    const chairman = await manager.openSigner(
      { token: 'Chủ tịch Nhung', keyId: '01' },
      { getPin: async (t) => pinOf(t.label) },
    );
    const r1 = await signPdf({
      input,
      output: signedByChairman,
      signer: chairman,
      options: { reason: 'Phê duyệt quyết định', location: 'UBND phường Đoàn Kết' },
    });
    say(`Đã ký (chủ tịch, token "Chủ tịch Nhung"): ${r1.signer.subjectCN}`);
    chairman.session.close();
    const intermediate = readFileSync(path.join(fixtures, 'pki', 'intermediate-ca.der'));
    const agency = await manager.openSigner(
      { token: 'Van thu Doan Ket', keyId: '01' },
      { getPin: async (t) => pinOf(t.label), intermediates: [intermediate] },
    );
    const r2 = await signPdf({
      input: signedByChairman,
      output,
      signer: agency,
      options: { reason: 'Văn thư đóng dấu' },
    });
    say(`Đã ký (cơ quan, token "Van thu Doan Ket"): ${r2.signer.subjectCN}`);
    agency.session.close();
  } finally {
    manager.close();
  }
  trust = await loadTrustStore({ files: [path.join(fixtures, 'pki', 'root-ca.pem')], managed: false });
} else {
  say('Không thấy SoftHSM: ký bằng danh tính dùng thử (KHÔNG CÓ GIÁ TRỊ PHÁP LÝ).');
  const demo = await openDemoIdentity();
  await signPdf({ input, output: signedByChairman, signer: demo, options: { reason: 'Ký thử' } });
  await signPdf({ input: signedByChairman, output, signer: demo, options: { reason: 'Ký thử lần hai' } });
  const { TrustStore } = engine;
  trust = TrustStore.fromCertificates([await demoRootCertificate()], 'demo');
}

const report = await verifyPdf({ input: output, trust });
say('');
say(`Kiểm tra chữ ký: ${report.status}`);
for (const s of report.signatures) {
  say(`  #${s.index} ${s.signer?.name ?? '?'} — ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
}
say('');
say(`Tệp đã ký: ${output}`);
process.exitCode = report.status === 'valid' ? 0 : 1;
