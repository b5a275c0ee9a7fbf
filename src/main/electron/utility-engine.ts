// The engine process as an Electron utility process: a Node child that Electron manages (crash
// reports, no Node in the renderer), speaking the same protocol as the fork used by the web host.
import type { UtilityProcess } from 'electron';
import type { EngineProcess, SpawnEngine, ToEngine } from '../engine/engine-protocol.js';

type Fork = (
  modulePath: string,
  args?: string[],
  options?: { serviceName?: string; stdio?: 'inherit' },
) => UtilityProcess;

export function utilityEngine(fork: Fork, entry: string): SpawnEngine {
  return () => {
    const child = fork(entry, [], { serviceName: 'Kyso engine', stdio: 'inherit' });
    let exited = false;
    const exitListeners: ((reason: string) => void)[] = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(`exit code ${code}`);
    });
    const engine: EngineProcess = {
      get pid() {
        return child.pid;
      },
      send(message: ToEngine) {
        if (!exited) child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill() {
        if (!exited) child.kill();
      },
    };
    return engine;
  };
}
