// A token pulled out in the middle of a batch (simulated by the fault-injecting PKCS#11 wrapper over
// SoftHSM): the batch pauses ("waiting for the token"), and once the token is back it logs in again
// (the PIN asked again) and goes on; no document is lost or signed twice.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { runBatch } from '../../../src/signing/batch/run-batch.js';
import { tokenSignerSource } from '../../../src/signing/batch/signer-source.js';
import type { BatchEvent } from '../../../src/signing/batch/batch-result.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';
import { expectAllValid, filesUnder, makeDocuments } from './batch-documents.js';

let manager: TokenManager;
let state: FaultState;
let root: string;

beforeAll(async () => {
  freshTokens();
  state = newFaultState();
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-removal-'));
}, 120_000);

afterAll(() => manager?.close());

describe('a token pulled out during a batch', () => {
  it('pauses, asks the PIN again once the token is back, and signs every document once', async () => {
    const docs = await makeDocuments(path.join(root, 'in'), 30);
    const out = path.join(root, 'out');
    let pinAsked = 0;
    const source = tokenSignerSource({
      manager,
      selector: { token: CHAIRMAN_TOKEN, keyId: '01' },
      getPin: async () => {
        pinAsked++;
        return new Secret(testToken(CHAIRMAN_TOKEN).pin);
      },
      pollMs: 20,
    });
    state.signLatencyMs = 20; // a real token's pace, so that the removal lands mid-batch
    const events: BatchEvent[] = [];
    let removedAt = 0;
    let waitingAt = 0;
    let backAt = 0;
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: out,
      signer: source,
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'document' && e.progress.done === 10 && removedAt === 0) {
          state.removed = true; // pulled out…
          removedAt = performance.now();
          setTimeout(() => (state.removed = false), 400); // …and put back
        }
        if (e.kind === 'waiting-for-token') waitingAt = performance.now();
        if (e.kind === 'token-back') backAt = performance.now();
      },
    }).finally(() => source.close());

    expect(result.signed).toBe(30);
    expect(result.failed).toBe(0);
    expect(result.pending).toBe(0);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'waiting-for-token')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'token-back')).toHaveLength(1);
    expect(waitingAt).toBeGreaterThan(removedAt);
    expect(backAt - removedAt).toBeGreaterThanOrEqual(350); // it did wait for the token
    const waiting = events.find((e) => e.kind === 'waiting-for-token');
    expect(waiting?.kind === 'waiting-for-token' && waiting.token).toBe(CHAIRMAN_TOKEN);
    expect(pinAsked).toBe(2); // once at the start, once after re-insertion
    expect(state.loginCount).toBe(2);
    // Exactly one output per input, each valid.
    const outputs = filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'));
    expect(outputs).toHaveLength(30);
    await expectAllValid(outputs.map((f) => path.join(out, f)));
  }, 120_000);

  it('waiting for the token ends cleanly when the batch is cancelled', async () => {
    const docs = await makeDocuments(path.join(root, 'in2'), 12);
    const out = path.join(root, 'out2');
    const source = tokenSignerSource({
      manager,
      selector: { token: CHAIRMAN_TOKEN, keyId: '01' },
      getPin: async () => new Secret(testToken(CHAIRMAN_TOKEN).pin),
      pollMs: 20,
    });
    state.signLatencyMs = 10;
    const stop = new AbortController();
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: out,
      signer: source,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.kind === 'document' && e.progress.done === 3) state.removed = true;
        if (e.kind === 'waiting-for-token') setTimeout(() => stop.abort(), 100);
      },
    }).finally(() => {
      source.close();
      state.removed = false;
    });
    expect(result.cancelled).toBe(true);
    expect(result.signed).toBeGreaterThanOrEqual(3);
    expect(result.failed).toBe(0);
    expect(result.pending).toBe(12 - result.signed);
    const outputs = filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'));
    expect(outputs).toHaveLength(result.signed);
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp') || f.includes('/staging/'))).toEqual([]);
  }, 120_000);
});
