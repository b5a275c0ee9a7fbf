// The signer of `kyso batch`: a token (opened once, the PIN asked once; asked again only after the
// token was pulled out and put back), or a .p12 file or the demo identity. Nothing is opened and
// no PIN asked until the batch knows it has something to sign.
import { tokenSignerSource, type SignerSource } from '../signing/batch-api.js';
import { KysoError } from '../shared/errors.js';
import type { Secret } from '../shared/secret.js';
import type { Lang } from '../shared/messages.js';
import { openTokenManager, pinSource, tokenSelector } from './command-args.js';
import { readPin } from './pin-reader.js';
import {
  assertOneIdentity,
  openSignerFromOptions,
  pinPrompt,
  type OpenedSigner,
  type SignerOptionValues,
} from './signer-options.js';
import { configuredIntermediates } from './command-settings.js';

export interface BatchSigner {
  readonly source: SignerSource;
  close(): void;
}

export async function batchSignerFrom(values: SignerOptionValues, lang: Lang): Promise<BatchSigner> {
  assertOneIdentity(values);
  const pins = pinSource(values);
  if (values.demo === true || values.p12 !== undefined) {
    let opened: Promise<OpenedSigner> | undefined;
    const source: SignerSource = {
      description: values.p12 ?? 'demo',
      open: async () => {
        opened ??= openSignerFromOptions(values, lang);
        return (await opened).signer;
      },
      isTokenGone: () => false,
      recover: () => Promise.reject(new KysoError('INTERNAL', 'a key file cannot be pulled out')),
      close: () => undefined,
    };
    return {
      source,
      close: () => {
        void opened?.then((o) => o.close()).catch(() => undefined);
      },
    };
  }
  return await tokenSigner(values, lang, pins);
}

async function tokenSigner(
  values: SignerOptionValues,
  lang: Lang,
  pins: ReturnType<typeof pinSource>,
): Promise<BatchSigner> {
  const selector = tokenSelector(values);
  const intermediates = await configuredIntermediates();
  const manager = await openTokenManager(values.module);
  // Standard input can be read once: keep that PIN (in memory only) for a login after re-insertion.
  let fromStdin: Secret | undefined;
  const source = tokenSignerSource({
    manager,
    selector,
    allowFinalTry: values['allow-final-try'] ?? false,
    intermediates,
    getPin: async (token) => {
      if (pins.stdin && fromStdin !== undefined) return fromStdin;
      const pin = await readPin(pins, pinPrompt(token, lang));
      if (pins.stdin) fromStdin = pin;
      return pin;
    },
  });
  return {
    source,
    close: () => {
      source.close();
      manager.close();
    },
  };
}
