// The machine policy as the app sees it (issue 14 point 4): which settings IT staff's policy.json
// presets and locks, with the reason to show beside a locked control, and whether the file is
// broken (then the safest settings apply and the app says so). Merged into requests.ts's maps.
import { z } from 'zod';

export const POLICY_REQUESTS = {
  'policy.get': { request: z.strictObject({}) },
} as const;

/** Who locks a setting: the machine policy, the safest settings of a broken policy, or settings.json. */
export type SettingLockBy = 'policy' | 'invalid-policy' | 'settings';

export interface SettingLockView {
  readonly by: SettingLockBy;
  /** The policy's reason, as IT staff wrote it (shown as it is), or null. */
  readonly reason: string | null;
  /** The sentence to show, in the app language (the SETTING_LOCKED message). */
  readonly message: string;
}

/** One setting key of settings.json ("tsa.url", "upload.folder.path") as it applies now. */
export interface SettingView {
  readonly key: string;
  /** A JSON value; null when unset. */
  readonly value: unknown;
  readonly source: 'default' | 'settings' | 'policy';
  readonly locked: SettingLockView | null;
}

export interface PolicyView {
  readonly file: string;
  readonly status: 'absent' | 'applied' | 'invalid';
  /** For invalid: POLICY_INVALID and its message in the app language. */
  readonly problem: { readonly code: 'POLICY_INVALID'; readonly message: string } | null;
  readonly settings: readonly SettingView[];
}

export interface PolicyResults {
  'policy.get': PolicyView;
}
