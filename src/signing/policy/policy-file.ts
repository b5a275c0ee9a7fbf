// Where the machine policy lives and how it is read. One file per computer, writable only by
// administrators: %ProgramData%\Kyso\policy.json (Windows), /Library/Application Support/Kyso/
// policy.json (macOS), /etc/kyso/policy.json (Linux and others). KYSO_POLICY names another file
// (tests, or a policy kept on a share). A file that is absent means no policy; one that exists but
// cannot be read or parsed is reported (POLICY_INVALID) and the safest settings apply instead.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_POLICY, parseMachinePolicy, safestPolicy, type MachinePolicy } from './machine-policy.js';

export interface PolicyState {
  readonly file: string;
  /** absent: no policy file; applied: read and in force; invalid: the safest settings apply instead. */
  readonly status: 'absent' | 'applied' | 'invalid';
  /** For invalid: what is wrong, with where (English, for IT staff and the POLICY_INVALID message). */
  readonly problem: string | null;
  readonly policy: MachinePolicy;
}

export function policyPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const override = env['KYSO_POLICY'];
  if (override !== undefined && override.trim() !== '') return path.resolve(override);
  if (platform === 'win32') {
    const programData = env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData';
    return path.win32.join(programData, 'Kyso', 'policy.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/Kyso/policy.json';
  return '/etc/kyso/policy.json';
}

const invalid = (file: string, problem: string): PolicyState => ({
  file,
  status: 'invalid',
  problem,
  policy: safestPolicy(problem),
});

export async function readPolicy(file: string = policyPath()): Promise<PolicyState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { file, status: 'absent', problem: null, policy: EMPTY_POLICY };
    }
    return invalid(file, `cannot be read (${code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    // A byte order mark, as Windows Notepad writes it, is not an error.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return invalid(file, `not valid JSON (${(err as Error).message})`);
  }
  const { policy, problems } = parseMachinePolicy(raw);
  const appearance = policy.settings['appearance'];
  if (appearance !== undefined && problems.length === 0) {
    // zod, loaded only for a policy that presets appearances.
    const { AppearanceSettingsSchema } = await import('../appearance/appearance-settings.js');
    const parsed = AppearanceSettingsSchema.safeParse(appearance);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`settings.appearance.${issue.path.join('.')}: ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) return invalid(file, problems.join('; '));
  return { file, status: 'applied', problem: null, policy };
}
