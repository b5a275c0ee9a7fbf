// network.*: the TSA URL, the proxy and the revocation mode in settings.json (through kyso/policy's
// setUserSetting, which refuses a key the machine policy locks: SETTING_LOCKED), and "Kiểm tra kết
// nối": one timestamp request through the saved proxy (kyso/sign's checkTimestampService).
import { loadEffectiveSettings } from '../../signing/settings.js';
import { setUserSetting, unsetUserSetting } from '../../signing/policy-api.js';
import { checkTimestampService } from '../../signing/sign-api.js';
import type { Handlers } from './service-types.js';
import { unmaskUrl } from './url-credentials.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function networkHandlers(
  options: { home?: string } = {},
): Handlers<'network.settings.set' | 'network.checkTsa'> {
  const home = options.home !== undefined ? { home: options.home } : {};
  return {
    'network.settings.set': async (request) => {
      const { settings } = await loadEffectiveSettings(options.home);
      const wanted: readonly [string, unknown, unknown][] = [
        ['tsa.url', request.tsaUrl === '' ? null : request.tsaUrl, settings.tsa.url ?? null],
        [
          'network.proxy',
          // The form was shown the password masked: sent back as shown, the stored URL stays.
          unmaskUrl(request.proxy === '' ? null : request.proxy, settings.network.proxy ?? null),
          settings.network.proxy ?? null,
        ],
        ['network.noProxy', request.noProxy, settings.network.noProxy],
        ['revocation.mode', request.revocationMode, settings.revocation.mode],
      ];
      // Only what changed is written: saving the form must not trip over a key the policy locks
      // and the user did not touch.
      for (const [key, value, current] of wanted) {
        if (same(value, current)) continue;
        if (value === null) await unsetUserSetting(key, home);
        else await setUserSetting(key, value, home);
      }
      return {};
    },
    'network.checkTsa': async (request, ctx) => {
      const { settings } = await loadEffectiveSettings(options.home);
      const proxy = settings.network.proxy;
      const checked = await checkTimestampService({
        url: request.url,
        signal: ctx.signal,
        ...(settings.tsa.timeoutMs !== undefined ? { timeoutMs: settings.tsa.timeoutMs } : {}),
        ...(settings.tsa.policyOid !== undefined ? { policyOid: settings.tsa.policyOid } : {}),
        ...(proxy ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {}),
      });
      return { ...checked, genTime: checked.genTime.toISOString() };
    },
  };
}
