// `npm run onestop:dev`: the reference one-stop server on 127.0.0.1, printing its URL.
//   --port N (default 8780; 0: any free port)   --data DIR (default <tmp>/kyso-onestop)   --token T (repeatable; or ONESTOP_TOKEN)
//   --client ID:SECRET (OAuth2 client, repeatable)   --max-mb N   --trust FILE (repeatable)
//   --faults 500=0.2,timeout=0.2,drop=0.2,duplicate=0.2,slow=0.2,slowMs=300   --seed N
// Faults can also be changed while it runs: PUT /admin/faults {"rates": {...}, "slowMs": 300}.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTrustStore } from '../signing/verify-api.js';
import { parseFaults } from './fault-plan.js';
import { startOnestopServer } from './onestop-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8780' },
    data: { type: 'string', default: path.join(os.tmpdir(), 'kyso-onestop') },
    token: { type: 'string', multiple: true },
    client: { type: 'string', multiple: true },
    'max-mb': { type: 'string', default: '50' },
    trust: { type: 'string', multiple: true },
    faults: { type: 'string' },
    seed: { type: 'string' },
  },
  strict: true,
});

const tokens = [...(values.token ?? [])];
if (process.env['ONESTOP_TOKEN']) tokens.push(process.env['ONESTOP_TOKEN']);
const oauthClients = Object.fromEntries(
  (values.client ?? []).map((pair) => {
    const i = pair.indexOf(':');
    return [pair.slice(0, i), pair.slice(i + 1)];
  }),
);
const server = await startOnestopServer({
  dataDir: path.resolve(values.data),
  port: Number(values.port),
  tokens,
  oauthClients,
  maxBytes: Number(values['max-mb']) * 1024 * 1024,
  trust: await loadTrustStore({ files: values.trust ?? [] }),
  ...(values.faults ? { faults: parseFaults(values.faults) } : {}),
  ...(values.seed ? { seed: Number(values.seed) } : {}),
});
process.stdout.write(
  `Reference one-stop server: ${server.url}\n` +
    `  POST ${server.url}/dossiers/{dossierCode}/results   (REST contract, README)\n` +
    `  GET  ${server.url}/admin/stats · PUT ${server.url}/admin/faults\n` +
    `  data: ${server.store.dir}; ${tokens.length === 0 && Object.keys(oauthClients).length === 0 ? 'no credential required' : 'credential required'}\n`,
);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
