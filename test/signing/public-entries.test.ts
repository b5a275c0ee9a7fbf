// The engine's public entries as another program sees them (package.json "exports", built code):
// every feature entry loads on its own, and the whole-library entry is exactly their union.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const exportsMap = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  }
).exports;
const subpaths = Object.keys(exportsMap).filter((k) => k !== '.');

describe('public entries', () => {
  it('each feature entry loads on its own and the root entry re-exports each of its names', async () => {
    const whole = (await import('kyso')) as Record<string, unknown>;
    const owner = new Map<string, string>();
    for (const sub of subpaths) {
      const entry = (await import(/* @vite-ignore */ `kyso/${sub.slice(2)}`)) as Record<string, unknown>;
      const names = Object.keys(entry);
      expect(names.length, sub).toBeGreaterThan(0);
      for (const name of names) {
        expect(whole[name], `${sub} ${name}`).toBe(entry[name]);
        // one home per name: a program knows which entry to import
        expect(owner.get(name), `${name} in ${owner.get(name)} and ${sub}`).toBeUndefined();
        owner.set(name, sub);
      }
    }
    const rootOnly = Object.keys(whole).filter((n) => !owner.has(n));
    // The doctor report (diagnose) lives in kyso/tokens with its text; the errors stay root-only.
    expect(rootOnly.sort()).toEqual(['ERROR_CODES', 'KysoError', 'Secret', 'isKysoError']);
  });
});
