// `kyso`: the command line over the engine. Each command parses its own options; failures become
// one line on standard error with a stable code and a non-zero exit code.
import { endQuietlyWhenOutputCloses, errorLine, EXIT, exitCodeFor, langFrom, usageError } from './cli-io.js';
import type { Lang } from '../shared/messages.js';
import { applyPolicyToOptions } from './policy-options.js';

const HELP = `kyso — ký số văn bản PDF bằng USB token (PAdES) / sign PDFs with USB tokens

Usage:
  kyso tokens [--module PATH]... [--json] [--lang vi|en]
              [--token LABEL | --slot N] [--pin-stdin | --pin-env NAME]   (log in to see hidden keys)
  kyso tokens change-pin [--module PATH] [--token LABEL | --slot N] [--allow-final-try]
              [--pin-stdin (current, new: two lines) | --pin-env NAME --new-pin-env NAME]
  kyso doctor [--module PATH]... [--json] [--out FILE] [--lang vi|en]
  kyso sign IN.pdf -o OUT.pdf [--module PATH] [--token LABEL | --slot N] [--key ID_HEX]
            [--p12 FILE | --demo] [--pin-stdin | --pin-env NAME] [--allow-final-try]
            [--reason TEXT] [--location TEXT] [--contact TEXT] [--field NAME] [--page N]
            [--level B-B|B-T|B-LT|B-LTA] [--tsa URL [--tsa-user U --tsa-password-env NAME | --tsa-token-env NAME]]
            [--hash sha256|sha384|sha512] [--pss] [--certify no-changes|form-fill|annotations]
            [--repair] [--overwrite] [--json]
            [--template personal|seal|text|certified-copy [--image FILE] [--page N]
             [--rect x,y,w,h | --anchor TEXT] [--doc-number TEXT] [--agency TEXT]
             [--cert-number N --cert-book BOOK] [--font FILE.ttf] [--seal-diameter MM]
             [--allow-unsigned-seal]]
  kyso verify (FILE.pdf... | --in DIR [--recursive]) [--trust FILE]... [--trust-dir DIR]...
              [--no-trust-store] [--no-builtin-trust] [--online]
              [--at TIME] [--json] [--report FILE.html] [--lang vi|en] [--require-revocation]
              [--extract-revision N OUT.pdf] [--overwrite]
              (exit 0: every signature valid; 1: invalid, indeterminate or unsigned; 2: bad input)
  kyso batch (--in DIR | FILE...) --out DIR [--suffix TEXT] [--recursive] [--profile FILE]
             [identity, signature and appearance options as for kyso sign]
             [--resume [--retry-failed]] [--report FILE.json|FILE.csv] [--overwrite]
             [--concurrency N] [--tsa-concurrency N] [--lang vi|en]
             (exit 0: every document signed; 1: some failed or not done, see the report; 2: bad usage)
  kyso extend FILE.pdf -o OUT.pdf [--level B-LT|B-LTA] [--tsa URL [--tsa-user U ...]] [--offline]
              [--if-due] [--overwrite] [--json] [--lang vi|en]
              (adds the DSS — certificates, OCSP, CRLs — and for B-LTA an archive timestamp;
               --if-due renews B-LTA only when its timestamp nears expiry)
  kyso upload FILE... --dossier CODE [--server URL | --folder DIR] [--doc-number TEXT] [--doc-type TEXT]
              [--queue-only] [--no-copy] [--allow-broken-signatures] [--wait SECONDS] [--json] [--lang vi|en]
              (credential from KYSO_UPLOAD_TOKEN; exit 0: every file delivered, or queued with --queue-only)
  kyso outbox list [--json] [--state queued,sending,delivered,failed,cancelled]
  kyso outbox retry ID | --all-failed
  kyso outbox cancel ID
  kyso outbox flush [--wait SECONDS] [--json]   (exit 0: nothing left pending or failed; 1 otherwise)
  kyso inbox list [--state pending|done|all] [--download] [--json] [--server URL]
             [identity options as for kyso sign: the PIN from the terminal, --pin-stdin or --pin-env NAME]
  kyso inbox sign (ID... | --all) [identity, signature and appearance options as for kyso batch]
             [--issued-template text|seal] [--seal-image FILE] [--agency TEXT] [--json] [--server URL]
             (the clerk's issue step reserves the number and date and writes them in the signature;
              exit 0: every request signed and delivered; 1: some failed or wait for delivery)
  kyso inbox decline ID --reason TEXT [identity options] [--server URL]
  kyso inbox sync [--watch [--interval SECONDS]] [identity options] [--server URL]
             (the signing chain of the one-stop server: upload.server or --server)
  kyso trust list [--json] | add FILE... [--yes] | remove SHA256 | disable SHA256 | enable SHA256
              (the built-in Vietnamese roots and the managed store in KYSO_HOME/trust)
  kyso settings list [--json] | get KEY [--json] | set KEY VALUE | unset KEY
              (settings.json, with what the machine policy presets and locks: KYSO_POLICY or
               /etc/kyso/policy.json, %ProgramData%\\Kyso\\policy.json, /Library/Application Support/Kyso/policy.json)
  kyso bridge [--port N] [--plain | --also-plain] [--allow-origin ORIGIN]... [--max-file-mb N]
              [identity options as for kyso sign, PIN from --pin-env NAME or the terminal]
              [--reason TEXT] [--level B-B|B-T|B-LT|B-LTA] [--tsa URL] [--hash ...] [--pss]
              [--image FILE] [--seal-image FILE] [--agency TEXT] [--issued-template text|seal]
              (the local bridge for web one-stop systems; asks y/N on standard input before each signing)
  kyso --help | --version

Environment:
  KYSO_HOME            data folder (settings, demo identity, reports)
  KYSO_PKCS11_MODULE   PKCS#11 library path(s), separated by '${process.platform === 'win32' ? ';' : ':'}'
  KYSO_LANG            vi (default) or en
  KYSO_POLICY          the machine policy file, instead of the system's
  KYSO_UPLOAD_TOKEN    credential for the one-stop system (bearer token, or the OAuth2 client secret)
`;

export type Command = (argv: string[], lang: Lang) => Promise<number>;

function isCommandName(name: string): name is (typeof COMMAND_NAMES)[number] {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** One command's usage lines out of HELP (the title, its `kyso NAME` lines, the environment). */
export function commandHelp(name: (typeof COMMAND_NAMES)[number]): string {
  const [head = '', rest = ''] = HELP.split('\nUsage:\n');
  const [usage = '', environment = ''] = rest.split('\nEnvironment:\n');
  const lines: string[] = [];
  let mine = false;
  for (const line of usage.split('\n')) {
    // A command's entry is its `  kyso NAME …` lines and the more indented lines under them.
    if (line.startsWith('  kyso ')) mine = line.startsWith(`  kyso ${name} `) || line === `  kyso ${name}`;
    if (mine && line !== '') lines.push(line);
  }
  return `${head}\nUsage:\n${lines.join('\n')}\n\nEnvironment:\n${environment}`;
}

/**
 * Set by the bundler (scripts/bundle-cli.mjs) in the per-command bundles: dist/kyso-sign.cjs is
 * built with the value 'sign', the conditions below fold to constants, and the other commands'
 * code is left out of that file, so `kyso sign` reads and compiles only what signing uses.
 * Undefined in the all-commands bundle and when running the compiled modules directly.
 */
declare const __KYSO_ONLY_COMMAND__: string | undefined;

// Each command is loaded when it runs: `kyso sign` does not pay for the verifier, and so on.
// Spelled out one by one (not a table) so that the bundler can drop the branches it folds away.
async function loadCommand(name: string): Promise<Command | undefined> {
  if (name === 'tokens' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'tokens'))
    return (await import('./tokens-command.js')).tokensCommand;
  if (name === 'doctor' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'doctor'))
    return (await import('./doctor-command.js')).doctorCommand;
  if (name === 'sign' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'sign'))
    return (await import('./sign-command.js')).signCommand;
  if (name === 'batch' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'batch'))
    return (await import('./batch-command.js')).batchCommand;
  if (name === 'verify' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'verify'))
    return (await import('./verify-command.js')).verifyCommand;
  if (name === 'extend' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'extend'))
    return (await import('./extend-command.js')).extendCommand;
  if (name === 'upload' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'upload'))
    return (await import('./upload-command.js')).uploadCommand;
  if (name === 'outbox' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'outbox'))
    return (await import('./outbox-command.js')).outboxCommand;
  if (name === 'inbox' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'inbox'))
    return (await import('./inbox-command.js')).inboxCommand;
  if (name === 'trust' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'trust'))
    return (await import('./trust-command.js')).trustCommand;
  if (
    name === 'settings' &&
    (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'settings')
  )
    return (await import('./settings-command.js')).settingsCommand;
  if (name === 'bridge' && (typeof __KYSO_ONLY_COMMAND__ !== 'string' || __KYSO_ONLY_COMMAND__ === 'bridge'))
    return (await import('./bridge-command.js')).bridgeCommand;
  return undefined;
}

/** The commands, for the launcher: each has its own bundle. */
export const COMMAND_NAMES = [
  'tokens',
  'doctor',
  'sign',
  'batch',
  'verify',
  'extend',
  'upload',
  'outbox',
  'inbox',
  'bridge',
  'trust',
  'settings',
] as const;

function peekLang(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--lang');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
}

export async function main(argv: string[]): Promise<number> {
  let lang: Lang = 'vi';
  try {
    lang = langFrom(peekLang(argv));
    endQuietlyWhenOutputCloses(lang);
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(HELP);
      return EXIT.OK;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write('kyso 0.1.0\n');
      return EXIT.OK;
    }
    // `kyso verify --help`: that command's lines of the usage (before `--`, after which a word is a
    // file name, not an option).
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if ((options.includes('--help') || options.includes('-h')) && isCommandName(name)) {
      process.stdout.write(commandHelp(name));
      return EXIT.OK;
    }
    const command = await loadCommand(name);
    if (!command) throw usageError(`unknown command "${name}" (see kyso --help)`);
    await applyPolicyToOptions(rest, lang);
    return await command(rest, lang);
  } catch (err) {
    process.stderr.write(`${errorLine(err, lang)}\n`);
    return exitCodeFor(err);
  }
}
