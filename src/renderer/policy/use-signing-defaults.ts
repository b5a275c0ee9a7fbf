// "Mặc định khi ký" as the signing and batch screens open with them: the settings in force
// (policy.get lists every key with its value, the policy's preset or the user's or the default).
import { useEffect, useMemo } from 'react';
import type { PolicyView, SignTemplateName, SigningDefaults } from '../../shared/contract/index.js';
import { usePolicy } from './use-policy.js';

const TEMPLATES: readonly SignTemplateName[] = ['personal', 'seal', 'text', 'certified-copy', 'invisible'];

export function signingDefaultsOf(view: PolicyView | null): SigningDefaults | null {
  if (view === null) return null;
  const value = (key: string): unknown => view.settings.find((s) => s.key === key)?.value;
  const template = value('signing.template');
  const anchorText = value('signing.anchorText');
  const outputFolder = value('signing.outputFolder');
  const outputSuffix = value('signing.outputSuffix');
  return {
    template: TEMPLATES.find((t) => t === template) ?? 'personal',
    anchorText: typeof anchorText === 'string' ? anchorText : '',
    outputFolder: typeof outputFolder === 'string' && outputFolder !== '' ? outputFolder : null,
    outputSuffix: typeof outputSuffix === 'string' ? outputSuffix : '-da-ky',
  };
}

/** Read again each time the screen is shown: Cài đặt may have changed them meanwhile. */
export function useSigningDefaults(active: boolean): SigningDefaults | null {
  const { view, reload } = usePolicy();
  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);
  return useMemo(() => signingDefaultsOf(view), [view]);
}
