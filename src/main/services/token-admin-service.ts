// Token administration on "Thiết bị ký": the user PIN of one token (the engine's changeUserPin: its
// rules, one attempt, never a retry), the libraries IT staff add by hand to settings.json's
// pkcs11.modules, and the doctor report (kyso/tokens' diagnose and its text, as `kyso doctor`).
// A PIN change names a configured library only (token-access.ts). An added library is probed in a
// child process first and saved only when it is a loadable PKCS#11 library of this architecture;
// the machine policy can lock the list (SETTING_LOCKED from setUserSetting).
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import { setUserSetting } from '../../signing/policy-api.js';
import { loadEffectiveSettings } from '../../signing/settings.js';
import {
  changeUserPin,
  diagnose,
  diagnosticReportFileName,
  diagnosticReportText,
  probeFailure,
  probeModule,
  type DiagnosticReport,
} from '../../signing/tokens-api.js';
import { writeFileAtomic } from './atomic-write.js';
import type { Handlers } from './service-types.js';
import { openModule } from './token-access.js';

type Channel =
  'tokens.changePin' | 'tokens.libraries.add' | 'tokens.libraries.remove' | 'doctor.report' | 'doctor.save';

export function tokenAdminHandlers(options: { home?: string } = {}): Handlers<Channel> {
  const home = options.home !== undefined ? { home: options.home } : {};
  // The last report made, saved as it was shown (doctor.save writes what the user read).
  let lastReport: DiagnosticReport | null = null;
  const libraries = async (): Promise<readonly string[]> =>
    (await loadEffectiveSettings(options.home)).settings.pkcs11.modules;
  return {
    'tokens.changePin': async (request) => {
      const currentPin = new Secret(request.currentPin);
      const newPin = new Secret(request.newPin);
      const manager = await openModule(request.modulePath);
      try {
        const ref = manager.findToken({ token: request.tokenSerial, slot: request.slotId });
        changeUserPin(ref, { currentPin, newPin, allowFinalTry: request.allowFinalTry });
        return { tokenLabel: ref.slot.token.label };
      } finally {
        manager.close();
      }
    },
    'tokens.libraries.add': async (request) => {
      const file = path.resolve(request.path);
      const effective = await loadEffectiveSettings(options.home);
      // Checked before the probe, so a locked list loads nothing.
      effective.assertUnlocked('pkcs11.modules');
      const current = effective.settings.pkcs11.modules;
      const probe = await probeModule(file, { useCache: false });
      if (probe.outcome !== 'ok') throw probeFailure(probe);
      if (!current.includes(file)) await setUserSetting('pkcs11.modules', [...current, file], home);
      return { path: file, manufacturer: probe.manufacturer ?? null };
    },
    'tokens.libraries.remove': async (request) => {
      const current = await libraries();
      if (!current.includes(request.path)) {
        throw new KysoError(
          'PKCS11_MODULE_NOT_FOUND',
          `${request.path} is not a library added in the settings`,
          {
            details: { path: request.path },
          },
        );
      }
      await setUserSetting(
        'pkcs11.modules',
        current.filter((p) => p !== request.path),
        home,
      );
      return {};
    },
    'doctor.report': async (_request, ctx) => {
      const report = await diagnose();
      lastReport = report;
      return {
        text: diagnosticReportText(report, ctx.language),
        json: `${JSON.stringify(report, null, 2)}\n`,
        fileName: diagnosticReportFileName(report, 'text'),
        warningCount: report.warnings.length,
      };
    },
    'doctor.save': async (request, ctx) => {
      if (lastReport === null) {
        throw new KysoError('USAGE', 'No doctor report was made yet', { details: { reason: 'no report' } });
      }
      const text =
        request.format === 'json'
          ? `${JSON.stringify(lastReport, null, 2)}\n`
          : diagnosticReportText(lastReport, ctx.language);
      const output = path.resolve(request.output);
      await writeFileAtomic(output, text);
      return { output };
    },
  };
}
