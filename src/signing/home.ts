// The engine's data folder: settings, demo identity, caches, journals. KYSO_HOME overrides it so that
// tests and the CLI can run in a folder of their own.
import os from 'node:os';
import path from 'node:path';

export function kysoHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['KYSO_HOME'];
  if (override !== undefined && override.trim() !== '') return path.resolve(override);
  switch (process.platform) {
    case 'win32':
      return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Kyso');
    case 'darwin':
      return path.join(os.homedir(), 'Library', 'Application Support', 'Kyso');
    default:
      return path.join(env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share'), 'kyso');
  }
}
