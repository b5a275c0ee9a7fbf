// `kyso settings`: the settings in force and where each comes from (default, settings.json, the
// machine policy), and changing one key of settings.json. A key the machine policy locks (or a
// section above it, or a member below it) is refused with SETTING_LOCKED and the policy's reason;
// the file is written only when the whole result is valid.
import type { Lang } from '../shared/messages.js';
import { kysoHome } from '../signing/home.js';
import {
  isSettingKey,
  setUserSetting,
  unsetUserSetting,
  type EffectiveSetting,
} from '../signing/policy-api.js';
import { loadEffectiveSettings } from '../signing/settings.js';
import { EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';

const USAGE = 'kyso settings list [--json] | get KEY [--json] | set KEY VALUE | unset KEY';

/** A proxy URL's password is not printed (it may be in settings.json). */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.replace(/(\bhttps?:\/\/[^:/@\s"]+:)[^@\s"]+@/g, '$1***@');
}

function sourceText(s: EffectiveSetting, lang: Lang): string {
  const names = {
    default: { vi: 'mặc định', en: 'default' },
    settings: { vi: 'settings.json', en: 'settings.json' },
    policy: { vi: 'chính sách của máy', en: 'machine policy' },
  } as const;
  const lock =
    s.locked === null
      ? ''
      : `, ${lang === 'vi' ? 'KHÓA' : 'LOCKED'}${s.locked.reason !== null ? `: ${s.locked.reason}` : ''}`;
  return `[${names[s.source][lang]}${lock}]`;
}

/** VALUE as JSON when it is JSON (3, true, ["a"]), as text otherwise (a URL, a path). */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function checkKey(key: string | undefined): string {
  if (key === undefined) throw usageError(`a setting key is missing (${USAGE})`);
  if (!isSettingKey(key)) throw usageError(`"${key}" is not a setting key (kyso settings list shows them)`);
  return key;
}

export async function settingsCommand(argv: string[], lang: Lang): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(
    rest,
    { json: { type: 'boolean' }, lang: { type: 'string' } },
    true,
  );
  const home = kysoHome();
  switch (action) {
    case 'list': {
      if (positionals.length > 0) throw usageError(USAGE);
      const effective = await loadEffectiveSettings(home);
      const all = effective.list();
      if (values.json) {
        const policy = {
          file: effective.policy.file,
          status: effective.policy.status,
          problem: effective.policy.problem,
        };
        process.stdout.write(`${JSON.stringify({ policy, settings: all }, null, 2)}\n`);
        return EXIT.OK;
      }
      // Members only: a section's value is its members'.
      const leaves = all.filter((s) => !all.some((o) => o.key.startsWith(`${s.key}.`)));
      for (const s of leaves) process.stdout.write(`${s.key} = ${shown(s.value)}  ${sourceText(s, lang)}\n`);
      return EXIT.OK;
    }
    case 'get': {
      if (positionals.length !== 1) throw usageError(USAGE);
      const key = checkKey(positionals[0]);
      const setting = (await loadEffectiveSettings(home)).list().find((s) => s.key === key);
      if (values.json) process.stdout.write(`${JSON.stringify(setting, null, 2)}\n`);
      else if (setting !== undefined)
        process.stdout.write(`${shown(setting.value)}  ${sourceText(setting, lang)}\n`);
      return EXIT.OK;
    }
    case 'set': {
      if (positionals.length !== 2) throw usageError(USAGE);
      const key = checkKey(positionals[0]);
      await setUserSetting(key, parseValue(positionals[1] as string), { home, option: 'kyso settings set' });
      process.stderr.write(`${lang === 'vi' ? 'Đã lưu' : 'Saved'}: ${key}\n`);
      return EXIT.OK;
    }
    case 'unset': {
      if (positionals.length !== 1) throw usageError(USAGE);
      const key = checkKey(positionals[0]);
      await unsetUserSetting(key, { home, option: 'kyso settings unset' });
      process.stderr.write(`${lang === 'vi' ? 'Đã xóa' : 'Removed'}: ${key}\n`);
      return EXIT.OK;
    }
    default:
      throw usageError(USAGE);
  }
}
