// Shared set-up of the app tests: a data folder of their own with the test root trusted, a private
// copy of the SoftHSM tokens, the sample decision, and the engine process (the compiled one: run
// `npm run build` first) with KYSO_PKCS11_MODULE pointing at SoftHSM.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTrustedCertificates } from '../../src/signing/verify-api.js';
import type {
  CertificateRef,
  Channel,
  Result,
  ResultOf,
  TokenModuleView,
} from '../../src/shared/contract/index.js';
import { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { forkEngine } from '../../src/main/engine/fork-engine.js';
import { freshTokens, pkiFile, SOFTHSM_MODULE } from '../support/fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
/** The compiled engine entry (fork-engine.ts resolves it beside itself, which here is src/). */
export const ENGINE_ENTRY = path.join(root, 'dist/main/engine/engine-main.js');

export interface AppTestEnv {
  readonly dir: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

export async function appTestEnv(): Promise<AppTestEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-'));
  const home = path.join(dir, 'home');
  const { conf } = freshTokens();
  // Signatures made by the test tokens verify as valid in the app's own summary (the clerk's token
  // holds no intermediate certificate: the trust store completes its chain).
  await importTrustedCertificates([pkiFile('root-ca.pem'), pkiFile('intermediate-ca.pem')], home);
  return {
    dir,
    home,
    env: { ...process.env, KYSO_HOME: home, SOFTHSM2_CONF: conf, KYSO_PKCS11_MODULE: SOFTHSM_MODULE },
  };
}

export function makeDecision(file: string): string {
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), file]);
  return file;
}

export function startEngine(
  env: NodeJS.ProcessEnv,
  onRestart?: (reason: string) => void,
): { engine: EngineSupervisor; stderr: () => string } {
  let stderr = '';
  const engine = new EngineSupervisor({
    spawn: forkEngine({ entry: ENGINE_ENTRY, env, onStderr: (c) => (stderr += c) }),
    ...(onRestart ? { onRestart } : {}),
  });
  return { engine, stderr: () => stderr };
}

/** The CertificateRef of key `keyId` on the token labelled `label`, from a tokens.list answer. */
export function certificateRef(
  modules: readonly TokenModuleView[],
  label: string,
  keyId: string,
): CertificateRef {
  for (const m of modules) {
    for (const slot of m.slots) {
      if (slot.token?.label === label) {
        return { modulePath: m.path, tokenSerial: slot.token.serial, slotId: slot.slotId, keyId };
      }
    }
  }
  throw new Error(`no token ${label} in the inventory`);
}

/** Temporary outputs (the engine's `.NAME.kyso-….tmp`) left in a folder. */
export function temporaryFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.kyso-[0-9a-f]{12}\.tmp$/.test(n));
}

/**
 * Calls into the engine process as the host does (Vietnamese, a fresh call id each time): `call`
 * gives the envelope, `value` the result or throws with the error's code and message.
 */
export function engineCalls(engine: () => EngineSupervisor): {
  call<C extends Channel>(
    channel: C,
    request: unknown,
    onProgress?: (p: unknown, callId: string) => void,
  ): Promise<Result<ResultOf<C>>>;
  value<C extends Channel>(channel: C, request: unknown): Promise<ResultOf<C>>;
} {
  let calls = 0;
  const call = async <C extends Channel>(
    channel: C,
    request: unknown,
    onProgress?: (p: unknown, callId: string) => void,
  ): Promise<Result<ResultOf<C>>> => {
    const callId = `t${++calls}`;
    return (await engine().call(callId, channel, request, 'vi', (p) => onProgress?.(p, callId))) as Result<
      ResultOf<C>
    >;
  };
  return {
    call,
    async value<C extends Channel>(channel: C, request: unknown): Promise<ResultOf<C>> {
      const r = await call(channel, request);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
  };
}
