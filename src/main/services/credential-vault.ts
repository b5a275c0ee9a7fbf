// Where the app keeps the upload credential (issue 15): memory of the running process (the web host,
// the Node tests) or the OS secret store through Electron's safeStorage (the shell's main process).
// Plain Node with nothing of the engine, so the shell's main process can use it without loading the
// signing code; the engine process gets the shell's value over IPC (host-held-vault.ts).
import { readFile, rm } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import { writeFileAtomic } from './atomic-write.js';

/** Where the app keeps the upload credential. */
export interface CredentialVault {
  /** os: encrypted by the OS secret store; memory: this process only, for the run. */
  readonly kind: 'os' | 'memory';
  read(): Promise<Secret | undefined>;
  store(secret: Secret): Promise<void>;
  clear(): Promise<void>;
}

/** The web host's (and the Node tests') store: memory of the running process, nothing on disk. */
export function memoryVault(): CredentialVault {
  let kept: Secret | undefined;
  return {
    kind: 'memory',
    read: async () => kept,
    store: async (secret) => {
      kept = secret;
    },
    clear: async () => {
      kept = undefined;
    },
  };
}

/** The shell's encrypted credential, in KYSO_HOME (only what safeStorage.encryptString gave). */
export const UPLOAD_CREDENTIAL_FILE = 'upload-credential.bin';

/** The part of Electron's safeStorage the vault uses (main process only). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only (Electron): which store encrypts; 'basic_text' is a fixed key, not a secret store. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The shell's store: the credential encrypted by the OS (Electron safeStorage: DPAPI, Keychain,
 * libsecret) in `file`, written atomically. Without OS encryption nothing is stored.
 */
export function safeStorageVault(safeStorage: SafeStorageLike, file: string): CredentialVault {
  // On Linux without a Secret Service or KWallet, Chromium still "encrypts", with a key written in
  // its source ('basic_text'): that is plain text to anyone who reads the file, so it counts as no
  // OS store at all.
  const available = (): boolean =>
    safeStorage.isEncryptionAvailable() &&
    !['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend?.() ?? '');
  return {
    kind: 'os',
    read: async () => {
      let encrypted: Buffer;
      try {
        encrypted = await readFile(file);
      } catch {
        return undefined;
      }
      if (!available()) return undefined;
      try {
        return new Secret(safeStorage.decryptString(encrypted));
      } catch {
        // Encrypted for another user or machine: as if there were none.
        return undefined;
      }
    },
    store: async (secret) => {
      if (!available()) {
        throw new KysoError('UPLOAD_CREDENTIAL_STORE_UNAVAILABLE', 'the OS secret store is not available');
      }
      await writeFileAtomic(file, safeStorage.encryptString(secret.reveal()));
    },
    clear: async () => {
      await rm(file, { force: true });
    },
  };
}
