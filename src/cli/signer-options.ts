// Turns the identity options of a command (--demo, --p12, or a token with --module/--token/--slot/
// --key) into a signer, asking for the PIN or password only once the identity is known.
import { KysoError } from '../shared/errors.js';
import type { Signer } from '../signing/sign-api.js';
import type { Lang } from '../shared/messages.js';
import { usageError } from './cli-io.js';
import { configuredIntermediates } from './command-settings.js';
import { openTokenManager, pinSource, tokenSelector } from './command-args.js';
import { readPin } from './pin-reader.js';

export const SIGNER_OPTIONS = {
  module: { type: 'string', multiple: true },
  token: { type: 'string' },
  slot: { type: 'string' },
  key: { type: 'string' },
  p12: { type: 'string' },
  demo: { type: 'boolean' },
  'pin-stdin': { type: 'boolean' },
  'pin-env': { type: 'string' },
  'allow-final-try': { type: 'boolean' },
} as const;

export interface SignerOptionValues {
  module?: string[];
  token?: string;
  slot?: string;
  key?: string;
  p12?: string;
  demo?: boolean;
  'pin-stdin'?: boolean;
  'pin-env'?: string;
  'allow-final-try'?: boolean;
}

export interface OpenedSigner {
  readonly signer: Signer;
  /** Logs out and unloads token libraries. */
  close(): void;
}

/** A token (--module/--token/--slot/--key), --p12 FILE or --demo: one of them at most. */
export function assertOneIdentity(values: SignerOptionValues): void {
  const tokenChosen =
    values.module !== undefined ||
    values.token !== undefined ||
    values.slot !== undefined ||
    values.key !== undefined;
  if ([values.demo === true, values.p12 !== undefined, tokenChosen].filter(Boolean).length > 1) {
    throw usageError('choose one identity: a token, --p12 FILE or --demo');
  }
}

/** The question asked before a token's PIN, in the user's language. */
export function pinPrompt(token: { readonly label: string }, lang: Lang): string {
  return lang === 'vi' ? `Nhập mã PIN của token "${token.label}": ` : `PIN for token "${token.label}": `;
}

export async function openSignerFromOptions(values: SignerOptionValues, lang: Lang): Promise<OpenedSigner> {
  assertOneIdentity(values);
  if (values.demo) {
    const { openDemoIdentity } = await import('../signing/identities-api.js');
    return { signer: await openDemoIdentity(), close: () => undefined };
  }
  const source = pinSource(values);
  if (values.p12 !== undefined) {
    const password = await readPin(
      source,
      lang === 'vi' ? 'Mật khẩu tệp chứng thư: ' : 'Certificate file password: ',
    );
    const { openP12 } = await import('../signing/identities-api.js');
    return { signer: await openP12(values.p12, password), close: () => undefined };
  }
  const intermediates = await configuredIntermediates();
  const manager = await openTokenManager(values.module);
  try {
    const signer = await manager.openSigner(tokenSelector(values), {
      getPin: (token) => readPin(source, pinPrompt(token, lang)),
      allowFinalTry: values['allow-final-try'] ?? false,
      intermediates,
    });
    return {
      signer,
      close: () => {
        signer.session.close();
        manager.close();
      },
    };
  } catch (err) {
    manager.close();
    if (err instanceof KysoError) throw err;
    throw err;
  }
}
