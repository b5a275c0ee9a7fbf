// `kyso tokens`: what is plugged in — libraries, slots, tokens with their PIN state, certificates.
import { takeInventory, type InventoryModule } from '../signing/index.js';
import type { Lang } from '../shared/messages.js';
import { EXIT } from './cli-io.js';
import { MODULE_OPTIONS, openTokenManager, parseCommandArgs } from './command-args.js';
import { formatInventory } from './inventory-text.js';

export async function tokensCommand(argv: string[], lang: Lang): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...MODULE_OPTIONS, json: { type: 'boolean' } });
  const manager = await openTokenManager(values.module);
  try {
    const modules: InventoryModule[] = takeInventory(manager);
    if (values.json) process.stdout.write(`${JSON.stringify({ modules }, null, 2)}\n`);
    else process.stdout.write(formatInventory(modules, lang));
    const explicitFailed = values.module !== undefined && manager.failures.length > 0;
    return explicitFailed ? EXIT.FAILED : EXIT.OK;
  } finally {
    manager.close();
  }
}
