// settings.signing.set: "Mặc định khi ký" in settings.json's signing section, through kyso/policy's
// setUserSetting (a key the machine policy locks is refused: SETTING_LOCKED). Only what changed is
// written, so saving the form never trips over a locked key the user did not touch.
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { setUserSetting, unsetUserSetting } from '../../signing/policy-api.js';
import { loadEffectiveSettings } from '../../signing/settings.js';
import type { Handlers } from './service-types.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function signingDefaultsHandlers(options: { home?: string } = {}): Handlers<'settings.signing.set'> {
  const home = options.home !== undefined ? { home: options.home } : {};
  return {
    'settings.signing.set': async (request) => {
      if (request.outputFolder !== null && !path.isAbsolute(request.outputFolder)) {
        throw new KysoError('USAGE', 'The output folder must be an absolute path', {
          details: { reason: 'relative output folder', path: request.outputFolder },
        });
      }
      const { signing } = (await loadEffectiveSettings(options.home)).settings;
      const wanted: readonly [string, unknown, unknown][] = [
        ['signing.template', request.template, signing.template],
        ['signing.anchorText', request.anchorText.trim(), signing.anchorText],
        ['signing.outputFolder', request.outputFolder, signing.outputFolder ?? null],
        ['signing.outputSuffix', request.outputSuffix, signing.outputSuffix],
      ];
      for (const [key, value, current] of wanted) {
        if (same(value, current)) continue;
        if (value === null) await unsetUserSetting(key, home);
        else await setUserSetting(key, value, home);
      }
      return {};
    },
  };
}
