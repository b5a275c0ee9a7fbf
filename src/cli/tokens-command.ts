// `kyso tokens`: what is plugged in — libraries, slots, tokens with their PIN state, certificates.
import {
  assertLoginAllowed,
  changeUserPin,
  formatInventory,
  takeInventory,
  type InventoryLogin,
  type InventoryModule,
} from '../signing/tokens-api.js';
import { readPin, readPinChange } from './pin-reader.js';
import type { Lang } from '../shared/messages.js';
import { EXIT } from './cli-io.js';
import {
  MODULE_OPTIONS,
  openTokenManager,
  parseCommandArgs,
  PIN_OPTIONS,
  pinSource,
  TOKEN_OPTIONS,
  tokenSelector,
} from './command-args.js';

export async function tokensCommand(argv: string[], lang: Lang): Promise<number> {
  if (argv[0] === 'change-pin') return await changePinCommand(argv.slice(1), lang);
  const { values } = parseCommandArgs(argv, {
    ...MODULE_OPTIONS,
    ...TOKEN_OPTIONS,
    ...PIN_OPTIONS,
    json: { type: 'boolean' },
  });
  const manager = await openTokenManager(values.module);
  try {
    // With a PIN source, log in to the chosen token so that keys hidden until login show too.
    let login: InventoryLogin | undefined;
    if (values['pin-stdin'] || values['pin-env'] !== undefined) {
      const ref = manager.findToken(tokenSelector(values));
      assertLoginAllowed(ref.slot.token, { allowFinalTry: values['allow-final-try'] ?? false });
      const pin = ref.slot.token.flags.protectedAuthenticationPath
        ? null
        : await readPin(pinSource(values), '');
      login = { serial: ref.slot.token.serial, pin, allowFinalTry: values['allow-final-try'] ?? false };
    }
    const modules: InventoryModule[] = takeInventory(manager, login);
    if (values.json) process.stdout.write(`${JSON.stringify({ modules }, null, 2)}\n`);
    else process.stdout.write(formatInventory(modules, lang));
    const explicitFailed = values.module !== undefined && manager.failures.length > 0;
    return explicitFailed ? EXIT.FAILED : EXIT.OK;
  } finally {
    manager.close();
  }
}

/**
 * `kyso tokens change-pin`: changes the user PIN of one token. The PINs come from the terminal (the
 * new one typed twice), two lines of stdin, or two environment variables — never from argv. One
 * attempt: a wrong current PIN is reported with the tries left, and not tried again.
 */
async function changePinCommand(argv: string[], lang: Lang): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...MODULE_OPTIONS,
    token: TOKEN_OPTIONS.token,
    slot: TOKEN_OPTIONS.slot,
    ...PIN_OPTIONS,
    'new-pin-env': { type: 'string' },
  });
  const manager = await openTokenManager(values.module);
  try {
    const ref = manager.findToken(tokenSelector(values));
    const allowFinalTry = values['allow-final-try'] ?? false;
    // Refuse a locked token, or a final try without consent, before asking for any PIN.
    assertLoginAllowed(ref.slot.token, { allowFinalTry });
    const source = pinSource(values);
    const { current, fresh } = await readPinChange({
      ...source,
      ...(values['new-pin-env'] !== undefined ? { newEnv: values['new-pin-env'] } : {}),
    });
    changeUserPin(ref, { currentPin: current, newPin: fresh, allowFinalTry });
    const label = ref.slot.token.label;
    process.stdout.write(
      lang === 'vi' ? `Đã đổi mã PIN của token "${label}".\n` : `The PIN of token "${label}" was changed.\n`,
    );
    return EXIT.OK;
  } finally {
    manager.close();
  }
}
