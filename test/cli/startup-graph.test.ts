// What each command evaluates before it runs (scripts/startup-graph.mjs over the built CLI). An
// invisible B-B signature is the most frequent command of all; what it loads is most of its start-up
// time, so the code it does not use (the verifier, pkijs, ASN.1 object models, visible appearances,
// .p12 files, HTTP and the OCSP/CRL client) must stay behind a dynamic import.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { groupOf, startupGraph } from '../../scripts/startup-graph.mjs';

interface GraphModule {
  readonly file: string;
  readonly via: readonly string[];
}

async function groups(command: string): Promise<Map<string, GraphModule>> {
  const modules = (await startupGraph(command)) as GraphModule[];
  const byGroup = new Map<string, GraphModule>();
  for (const m of modules) if (!byGroup.has(groupOf(m.file))) byGroup.set(groupOf(m.file), m);
  return byGroup;
}

/** Names what loads a group and through which imports, so a failure says where to cut. */
function loaded(byGroup: Map<string, GraphModule>, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const m = byGroup.get(name);
    return m ? [`${name} via ${[...m.via, m.file].join(' -> ')}`] : [];
  });
}

const HEAVY_FOR_SIGNING = [
  'pkijs',
  'asn1js',
  'node-forge',
  '@cantoo/fontkit',
  '@cantoo/pdf-lib',
  'dist/signing/verify',
  'dist/signing/appearance',
  'dist/signing/batch',
  'dist/signing/identity',
];

describe('start-up import graph', () => {
  it('kyso sign loads none of the verifier, pkijs, asn1js, appearances, batches or software identities', async () => {
    const sign = await groups('sign-command');
    expect(sign.has('dist/signing/sign')).toBe(true);
    expect(sign.has('dist/signing/pkcs11')).toBe(true);
    expect(loaded(sign, HEAVY_FOR_SIGNING)).toEqual([]);
    // Of the revocation and long-term code only the settings-to-options reading is there.
    const files = [...sign.values()].map((m) => m.file);
    expect(files.filter((f) => f.startsWith('dist/signing/revocation/'))).toEqual(
      expect.not.arrayContaining(['dist/signing/revocation/revocation-client.js']),
    );
  });

  it('the check can fail: kyso verify does load the verifier and pkijs', async () => {
    const verify = await groups('verify-command');
    expect(loaded(verify, ['pkijs', 'dist/signing/verify']).length).toBe(2);
  });
});
