// The engine process as a Node child (web host, tests): child_process.fork with structured-clone
// ("advanced") serialization, so Uint8Array results cross as they are.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { EngineProcess, SpawnEngine, ToEngine } from './engine-protocol.js';

/** The compiled engine entry, beside this file in dist/main/engine. */
export const ENGINE_ENTRY = path.join(import.meta.dirname, 'engine-main.js');

export interface ForkEngineOptions {
  readonly entry?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the engine's stderr goes (internal errors only); inherited by default. */
  readonly onStderr?: (chunk: string) => void;
}

export function forkEngine(options: ForkEngineOptions = {}): SpawnEngine {
  return () => {
    const child = fork(options.entry ?? ENGINE_ENTRY, [], {
      env: options.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', options.onStderr ? 'pipe' : 'inherit', 'ipc'],
    });
    if (options.onStderr) child.stderr?.setEncoding('utf8').on('data', options.onStderr);
    let exited = false;
    const exitListeners: ((reason: string) => void)[] = [];
    const onGone = (reason: string): void => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(reason);
    };
    child.on('exit', (code, signal) => onGone(signal ? `signal ${signal}` : `exit code ${code ?? '?'}`));
    child.on('error', (err) => onGone(`error: ${err.message}`));
    const engine: EngineProcess = {
      pid: child.pid,
      send(message: ToEngine) {
        if (!exited && child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill() {
        if (!exited) child.kill('SIGKILL');
      },
    };
    return engine;
  };
}
