// `kyso sign … --template …` as a user runs it (the built CLI): a visible signature from the command
// line, and every bad input refused with its own code before the password is asked (the password
// variable is unset: asking for it would fail with PIN_NOT_PROVIDED instead).
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTrustedCertificates } from '../../../src/signing/verify/index.js';
import { pkiFile } from '../../support/fixtures.js';
import { runKyso } from '../../support/run-cli.js';
import { makeAssets, removeTemp, P12_PASSWORD, pdftotext, type Assets } from './appearance-support.js';

let assets: Assets;
let out: string;
let home: string;
beforeAll(() => {
  assets = makeAssets();
  out = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-appearance-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-home-'));
}, 120_000);

afterAll(() => removeTemp(assets?.dir, out, home));

function kyso(args: string[], password: boolean) {
  return runKyso(args, {
    env: { KYSO_HOME: home, KYSO_LANG: 'en', ...(password ? { KYSO_TEST_P12_PASSWORD: P12_PASSWORD } : {}) },
  });
}

const identity = (id: string): string[] => [
  '--p12',
  pkiFile(`${id}.p12`),
  '--pin-env',
  'KYSO_TEST_P12_PASSWORD',
];

describe('kyso sign --template', () => {
  it('signs with a personal signature below an anchor, then seals it', async () => {
    const signed = path.join(out, 'personal.pdf');
    const a = await kyso(
      [
        'sign',
        assets.pdf('portrait.pdf'),
        '-o',
        signed,
        ...identity('chairman-rsa2048'),
        '--template',
        'personal',
        '--image',
        assets.image('signature.png'),
        '--anchor',
        'CHỦ TỊCH',
      ],
      true,
    );
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(pdftotext(signed, 1)).toContain('Ký bởi: Nguyễn Thị Hồng Nhung');
    // The seal needs the chairman's signature to verify as valid: not before the root is trusted.
    const sealed = path.join(out, 'sealed.pdf');
    const sealArgs = [
      'sign',
      signed,
      '-o',
      sealed,
      ...identity('agency-rsa3072'),
      '--template',
      'seal',
      '--image',
      assets.image('seal.png'),
    ];
    const refused = await kyso(sealArgs, true);
    expect(refused.stderr).toContain('[SEAL_WITHOUT_SIGNATURE]');
    expect(existsSync(sealed)).toBe(false);
    await importTrustedCertificates([pkiFile('root-ca.pem')], home);
    const b = await kyso(sealArgs, true);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const c = await kyso(
      [
        'sign',
        assets.pdf('three-pages.pdf'),
        '-o',
        path.join(out, 'text.pdf'),
        ...identity('agency-rsa3072'),
        '--template',
        'text',
        '--doc-number',
        '12/QĐ-UBND',
        '--agency',
        'UBND quận Hải Châu',
      ],
      true,
    );
    expect(c.code).toBe(0);
    expect(pdftotext(path.join(out, 'text.pdf'), 1)).toContain('Số: 12/QĐ-UBND');
  });

  it('warns about an image without transparency', async () => {
    const r = await kyso(
      [
        'sign',
        assets.pdf('portrait.pdf'),
        '-o',
        path.join(out, 'opaque.pdf'),
        ...identity('chairman-rsa2048'),
        '--template',
        'personal',
        '--image',
        assets.image('signature-opaque.png'),
        '--rect',
        '300,100,200,90',
      ],
      true,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('transparent');
  });

  const bad: Array<[string, string[], string]> = [
    ['a missing image', ['--template', 'personal', '--image', '/nonexistent/chu-ky.png'], 'IMAGE_NOT_FOUND'],
    [
      'an image that is not PNG/JPEG',
      ['--template', 'personal', '--image', 'IMAGE:image.gif'],
      'IMAGE_UNSUPPORTED',
    ],
    [
      'a rectangle outside the page',
      ['--template', 'personal', '--rect', '500,800,200,90'],
      'RECT_OUTSIDE_PAGE',
    ],
    ['a page past the end', ['--template', 'text', '--page', '4'], 'PDF_PAGE_OUT_OF_RANGE'],
    ['an anchor not found', ['--template', 'personal', '--anchor', 'GIÁM ĐỐC'], 'ANCHOR_NOT_FOUND'],
    [
      'a font without Vietnamese',
      ['--template', 'text', '--font', '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf'],
      'FONT_NO_VIETNAMESE',
    ],
    [
      'a seal on an unsigned document',
      ['--template', 'seal', '--image', 'IMAGE:seal.png'],
      'SEAL_WITHOUT_SIGNATURE',
    ],
    ['a malformed --rect', ['--template', 'personal', '--rect', '1,2,3'], 'USAGE'],
    [
      '--rect and --anchor together',
      ['--template', 'personal', '--rect', '1,2,3,4', '--anchor', 'X'],
      'USAGE',
    ],
    ['--image without --template', ['--image', 'IMAGE:signature.png'], 'USAGE'],
    ['an unknown template', ['--template', 'fancy'], 'USAGE'],
  ];
  for (const [label, args, code] of bad) {
    it(`refuses ${label} with ${code}, before the password, writing nothing`, async () => {
      const output = path.join(out, `bad-${code}-${label.length}.pdf`);
      const resolved = args.map((a) => (a.startsWith('IMAGE:') ? assets.image(a.slice(6)) : a));
      const r = await kyso(
        ['sign', assets.pdf('three-pages.pdf'), '-o', output, ...identity('chairman-rsa2048'), ...resolved],
        false,
      );
      expect(r.stderr).toContain(`[${code}]`);
      expect(r.code).toBe(code === 'USAGE' ? 2 : 1);
      expect(existsSync(output)).toBe(false);
    });
  }
});
