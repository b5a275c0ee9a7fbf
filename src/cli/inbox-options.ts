// The clerk's visible signature for `kyso inbox sign` at an issue step: the text block (default) or
// the seal (--issued-template, else bridge.issuedTemplate in the settings), with --agency and
// --seal-image, --rect/--anchor as for kyso sign.
import type { IssuedAppearanceChoice } from '../signing/inbox-api.js';
import { parseDisplayRect } from '../signing/appearance-api.js';
import { usageError } from './cli-io.js';
import { commandSettings } from './command-settings.js';

export async function issuedChoice(values: {
  'issued-template'?: string;
  'seal-image'?: string;
  agency?: string;
  rect?: string;
  anchor?: string;
}): Promise<IssuedAppearanceChoice> {
  const template = values['issued-template'] ?? (await commandSettings()).bridge.issuedTemplate;
  if (template !== 'text' && template !== 'seal') {
    throw usageError(`--issued-template takes text or seal, not "${template}"`);
  }
  return {
    template,
    ...(values['seal-image'] !== undefined ? { sealImage: values['seal-image'] } : {}),
    ...(values.agency !== undefined ? { organization: values.agency } : {}),
    ...(values.rect !== undefined ? { rect: parseDisplayRect(values.rect) } : {}),
    ...(values.anchor !== undefined ? { anchor: values.anchor } : {}),
  };
}
