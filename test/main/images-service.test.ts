// images.*: a certificate's signature and seal images through the engine's store — imported with
// the engine's warnings in the app's language, refused with a specific code when the file is not
// an image (nothing stored), read back, and removed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/main/services/service-types.js';
import { imageHandlers } from '../../src/main/services/images-service.js';
import { isKysoError } from '../../src/shared/errors.js';
import { makeAssets, type Assets } from '../signing/appearance/appearance-support.js';

const SHA = 'ab'.repeat(32);
let home = '';
let assets: Assets;
const ctx = (language: 'vi' | 'en' = 'vi'): ServiceContext => ({
  signal: new AbortController().signal,
  language,
  progress: () => undefined,
});

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kyso-images-'));
  assets = makeAssets();
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(assets.dir, { recursive: true, force: true });
});

describe('images.*', () => {
  it('imports with the engine warnings in the app language, reads back, and removes', async () => {
    const h = imageHandlers({ home });
    expect(await h['images.get']({ certificateSha256: SHA }, ctx())).toEqual({ signature: null, seal: null });

    const sealNoDpi = await h['images.import'](
      { certificateSha256: SHA, kind: 'seal', path: assets.image('seal-nodpi.png') },
      ctx(),
    );
    expect(sealNoDpi.warnings.map((w) => w.code)).toEqual(['NO_RESOLUTION']);
    expect(sealNoDpi.warnings[0]?.message).toMatch(/độ phân giải/);

    const blueSeal = await h['images.import'](
      { certificateSha256: SHA, kind: 'seal', path: assets.image('seal-blue.png') },
      ctx('en'),
    );
    expect(blueSeal.warnings.map((w) => w.code)).toContain('SEAL_NOT_RED');
    expect(blueSeal.warnings.find((w) => w.code === 'SEAL_NOT_RED')?.message).toMatch(/not red/);

    const opaque = await h['images.import'](
      { certificateSha256: SHA, kind: 'signature', path: assets.image('signature-opaque.png') },
      ctx(),
    );
    expect(opaque.warnings.map((w) => w.code)).toContain('NO_TRANSPARENCY');
    const good = await h['images.import'](
      { certificateSha256: SHA, kind: 'signature', path: assets.image('signature.png') },
      ctx(),
    );
    expect(good.warnings).toEqual([]);

    const stored = await h['images.get']({ certificateSha256: SHA }, ctx());
    expect(stored.signature).toMatchObject({
      kind: 'signature',
      format: 'png',
      width: good.width,
      warnings: [],
    });
    expect(stored.seal?.warnings.map((w) => w.code)).toContain('SEAL_NOT_RED');

    await h['images.remove']({ certificateSha256: SHA, kind: 'seal' }, ctx());
    expect((await h['images.get']({ certificateSha256: SHA }, ctx())).seal).toBeNull();
    expect((await h['images.get']({ certificateSha256: SHA }, ctx())).signature).not.toBeNull();
  });

  it('refuses what is not an image with its code and keeps the stored one', async () => {
    const h = imageHandlers({ home });
    for (const [file, code] of [
      ['not-an-image.png', 'IMAGE_UNSUPPORTED'],
      ['truncated.png', 'IMAGE_UNREADABLE'],
      ['missing.png', 'IMAGE_NOT_FOUND'],
    ] as const) {
      const err = await h['images.import'](
        { certificateSha256: SHA, kind: 'signature', path: assets.image(file) },
        ctx(),
      ).catch((e: unknown) => e);
      expect(isKysoError(err) ? err.code : err, file).toBe(code);
    }
    const stored = await h['images.get']({ certificateSha256: SHA }, ctx());
    expect(stored.signature?.warnings).toEqual([]);
    expect(existsSync(path.join(home, 'images', SHA))).toBe(true);
  });
});
