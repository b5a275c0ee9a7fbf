// `npm run app:web`: the app in a browser, for development and the end-to-end tests. The first line
// on standard output is the URL to open (token included); everything else goes to standard error.
// Options: --port N (default: a free port), --files DIR (the folder the open dialog offers).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppCore } from '../app-core.js';
import { EngineSupervisor } from '../engine/engine-supervisor.js';
import { forkEngine } from '../engine/fork-engine.js';
import { loadAppSettings } from '../services/app-settings.js';
import { isKysoError } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import { WebDialogs } from './web-dialogs.js';
import { startWebHost } from './web-host-server.js';

/** dist/renderer, two folders up from dist/main/web-host. */
const RENDERER_DIR = path.resolve(import.meta.dirname, '../../renderer');

function usage(text: string): never {
  process.stderr.write(`app:web: ${text}\nusage: npm run app:web -- [--port N] [--files DIR]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, files: { type: 'string' }, host: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usage(`--port takes a port number, not "${values.port}"`);
  const settings = await loadAppSettings();
  const dialogs = new WebDialogs(values.files ?? null);
  // The supervisor tells the core of restarts; the core is made with the supervisor.
  const restarted: { core?: AppCore } = {};
  const engine = new EngineSupervisor({
    spawn: forkEngine(),
    onRestart: (reason) => {
      process.stderr.write(`app:web: the engine process stopped (${reason}) and was restarted\n`);
      restarted.core?.engineRestarted(reason);
    },
    onEvent: (event) => restarted.core?.engineEvent(event),
  });
  const core = new AppCore({ engine, dialogs, language: settings.language, webHost: true });
  restarted.core = core;
  const host = await startWebHost({
    core,
    dialogs,
    rendererDir: RENDERER_DIR,
    port,
    ...(values.host !== undefined ? { address: values.host } : {}),
  });
  process.stdout.write(`${host.url}\n`);
  void engine.warmUp();
  const stop = (): void => {
    engine.dispose();
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const text = isKysoError(err)
    ? messageFor(err.code, err.details, 'en')
    : `the host could not start (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  process.stderr.write(`app:web: ${text}\n`);
  process.exit(1);
});
