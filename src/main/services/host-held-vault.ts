// The engine process's credential vault. Electron's safeStorage exists only in the shell's main
// process, so in the desktop app the host keeps the upload credential (encrypted by the OS) and
// pushes its plain value to the engine over the engine protocol: at every start and restart and after
// every change. Until a host pushes anything (the web host never does), this is a memory vault that
// the contract's upload.settings.set fills, as before.
import { Secret } from '../../shared/secret.js';
import { memoryVault, type CredentialVault } from './credential-vault.js';

export class HostHeldVault implements CredentialVault {
  readonly #memory = memoryVault();
  #pushed: { readonly secret: Secret | undefined } | null = null;

  /** os once the host has pushed a value (it is the OS secret store's, held here for the process). */
  get kind(): 'os' | 'memory' {
    return this.#pushed === null ? 'memory' : 'os';
  }

  /** The host's value (null: the user cleared it, or there is none). Never logged, never echoed. */
  receive(value: string | null): void {
    this.#pushed = { secret: value === null ? undefined : new Secret(value) };
  }

  async read(): Promise<Secret | undefined> {
    return this.#pushed === null ? this.#memory.read() : this.#pushed.secret;
  }

  async store(secret: Secret): Promise<void> {
    // The host strips the credential from upload.settings.set and stores it itself: one reaching
    // the engine here is a bug, and it must not be kept where the OS store does not see it.
    if (this.#pushed !== null) throw new Error('the host keeps the upload credential');
    await this.#memory.store(secret);
  }

  async clear(): Promise<void> {
    if (this.#pushed !== null) throw new Error('the host keeps the upload credential');
    await this.#memory.clear();
  }
}
