// Starts the real web host (`npm run app:web` without the build step: run `npm run build` first) as a
// child process in its own data folder, and returns where it listens. Its standard output and error
// are kept, so tests can check that no secret ever reaches them.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const WEB_HOST_ENTRY = path.resolve(import.meta.dirname, '../../dist/main/web-host/web-host-main.js');

export interface StartedWebHost {
  /** The first line the host printed: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
  readonly token: string;
  readonly origin: string;
  readonly port: number;
  /** Everything the host (and its engine process) printed so far. */
  output(): { stdout: string; stderr: string };
  /** Scripts the next answer of a dialog (POST /__dialog). */
  answerDialog(
    dialog: 'openPdf' | 'openFolder' | 'openImage' | 'openCertificate' | 'openLibrary' | 'saveAs',
    path: string | null,
  ): Promise<void>;
  close(): Promise<void>;
  /** The app dies (SIGKILL): its engine process exits when it loses its host. */
  kill(): Promise<void>;
}

export interface StartWebHostOptions {
  readonly home: string;
  readonly files?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
}

export async function startWebHost(options: StartWebHostOptions): Promise<StartedWebHost> {
  const args = [
    WEB_HOST_ENTRY,
    '--port',
    '0',
    ...(options.files !== undefined ? ['--files', options.files] : []),
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env, KYSO_HOME: options.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.indexOf('\n');
      if (line >= 0) resolve(stdout.slice(0, line));
    });
    child.once('exit', (code) =>
      reject(new Error(`web host exited (${code}) before printing its URL: ${stderr}`)),
    );
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    token,
    origin: parsed.origin,
    port: Number(parsed.port),
    output: () => ({ stdout, stderr }),
    async answerDialog(dialog, file) {
      const res = await fetch(`${parsed.origin}/__dialog`, {
        method: 'POST',
        headers: { 'x-kyso-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ dialog, path: file }),
      });
      if (res.status !== 204) throw new Error(`POST /__dialog answered ${res.status}`);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
