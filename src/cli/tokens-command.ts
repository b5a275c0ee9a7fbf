// `kyso tokens`: what is plugged in — libraries, slots, tokens with their PIN state, certificates.
import {
  assertLoginAllowed,
  takeInventory,
  type InventoryLogin,
  type InventoryModule,
} from '../signing/tokens-api.js';
import { readPin } from './pin-reader.js';
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
import { formatInventory } from './inventory-text.js';

export async function tokensCommand(argv: string[], lang: Lang): Promise<number> {
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
