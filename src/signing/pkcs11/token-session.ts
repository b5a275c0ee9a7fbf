// A session with one token: the PIN policy at login, the certificates and keys on the token, and
// token calls serialised one at a time (a token does one operation at once; two sessions that
// interleave C_SignInit/C_Sign would corrupt each other on many vendor libraries).
import { createPublicKey } from 'node:crypto';
import type { Secret } from '../../shared/secret.js';
import { KysoError } from '../../shared/errors.js';
import { parseCertificate, type CertificateInfo } from '../x509/certificate-info.js';
import type { Attribute, Handle } from './pkcs11-api.js';
import { CKA, CKF, CKO, CKR, CKU } from './pkcs11-constants.js';
import { ckrOf, pkcs11Failure } from './pkcs11-errors.js';
import { pinAttemptFailure } from './pin-attempt-failure.js';
import type { Pkcs11Module, TokenSummary } from './pkcs11-module.js';

export interface TokenCertificate {
  readonly idHex: string;
  readonly label: string;
  readonly info: CertificateInfo;
  /** CA certificates stored on the token (category authority, or a CA by its extensions). */
  readonly isAuthority: boolean;
  /** true/false once known; undefined when private keys are hidden until login. */
  readonly hasPrivateKey: boolean | undefined;
}

export interface TokenKey {
  readonly idHex: string;
  readonly label: string;
  readonly handle: Handle;
  readonly alwaysAuthenticate: boolean;
}

export interface LoginOptions {
  /** Proceed although the token says the next wrong PIN locks it. */
  readonly allowFinalTry?: boolean;
}

/** Token states after which the session cannot be used again; the token must be found anew. */
const GONE: ReadonlySet<number> = new Set([
  CKR.DEVICE_REMOVED,
  CKR.TOKEN_NOT_PRESENT,
  CKR.SESSION_CLOSED,
  CKR.SESSION_HANDLE_INVALID,
  CKR.SLOT_ID_INVALID,
  CKR.DEVICE_ERROR,
]);

/**
 * PKCS#11 login state belongs to the token, not the session: C_Logout on one session logs out every
 * session of this process on that token. Count logged-in sessions and log out with the last one.
 */
const loginsPerToken = new Map<string, number>();

export class TokenSession {
  readonly module: Pkcs11Module;
  readonly slotId: number;
  readonly slot: Handle;
  #session: Handle;
  #token: TokenSummary;
  #loggedIn = false;
  #gone = false;
  /** Kept only for keys that demand a login before every signature (CKA_ALWAYS_AUTHENTICATE). */
  #pin: Secret | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    module: Pkcs11Module,
    slotId: number,
    slot: Handle,
    session: Handle,
    token: TokenSummary,
  ) {
    this.module = module;
    this.slotId = slotId;
    this.slot = slot;
    this.#session = session;
    this.#token = token;
  }

  static open(module: Pkcs11Module, slotId: number): TokenSession {
    const slot = module.slotHandle(slotId);
    const token = slot ? module.readToken(slot) : undefined;
    if (!slot || !token) {
      throw new KysoError('PKCS11_TOKEN_NOT_PRESENT', `No token is present in slot ${slotId}.`, {
        details: { slotId },
      });
    }
    let session: Handle;
    try {
      session = module.api.C_OpenSession(slot, CKF.SERIAL_SESSION);
    } catch (err) {
      throw pkcs11Failure(err, 'Opening a session with the token');
    }
    return new TokenSession(module, slotId, slot, session, token);
  }

  get token(): TokenSummary {
    return this.#token;
  }

  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  get usable(): boolean {
    return !this.#gone;
  }

  /** Re-reads the token's flags (PIN counters change after each login attempt). */
  refreshToken(): TokenSummary {
    const fresh = this.module.readToken(this.slot);
    if (!fresh) {
      this.#gone = true;
      throw new KysoError('PKCS11_DEVICE_REMOVED', 'The token was removed.', {
        details: { slotId: this.slotId },
      });
    }
    this.#token = fresh;
    return fresh;
  }

  /**
   * Logs in once for the whole session. Never retries: a wrong PIN costs one of the token's few tries,
   * so the decision to try again is always the user's. `pin` is null for a PIN pad.
   */
  login(pin: Secret | null, options: LoginOptions = {}): void {
    if (this.#loggedIn) return;
    const token = this.refreshToken();
    const flags = token.flags;
    if (flags.userPinLocked) {
      throw new KysoError(
        'PKCS11_PIN_LOCKED',
        `The PIN of token "${token.label}" is locked. Contact the CA that issued the token to unlock it.`,
        { details: { token: token.label, manufacturer: token.manufacturer } },
      );
    }
    if (flags.userPinFinalTry && !options.allowFinalTry) {
      throw new KysoError(
        'PKCS11_PIN_FINAL_TRY',
        `Token "${token.label}" allows only one more PIN attempt; a wrong PIN now locks it.`,
        { details: { token: token.label } },
      );
    }
    const pinPad = flags.protectedAuthenticationPath;
    if (!pinPad) {
      if (pin === null) {
        throw new KysoError('PIN_NOT_PROVIDED', `Token "${token.label}" needs a PIN.`, {
          details: { token: token.label },
        });
      }
      // Checking the length ourselves spares a try on tokens that count a too-short PIN as wrong.
      const len = Buffer.byteLength(pin.reveal(), 'utf8');
      if (
        (token.minPinLength > 0 && len < token.minPinLength) ||
        (token.maxPinLength > 0 && len > token.maxPinLength)
      ) {
        throw new KysoError(
          'PKCS11_PIN_LEN_RANGE',
          `The PIN must be ${token.minPinLength}–${token.maxPinLength} characters long.`,
          { details: { min: token.minPinLength, max: token.maxPinLength } },
        );
      }
    }
    try {
      // A PIN pad expects a NULL PIN: the patched binding passes `undefined` as NULL_PTR.
      if (pinPad) this.module.api.C_Login(this.#session, CKU.USER, undefined);
      else this.module.api.C_Login(this.#session, CKU.USER, (pin as Secret).reveal());
    } catch (err) {
      const ckr = ckrOf(err);
      if (ckr === CKR.USER_ALREADY_LOGGED_IN) {
        // Another session of this process logged in already (login is per token, PKCS#11 §5.6):
        // the token was unlocked by this same user, so this session shares that login.
        this.markLoggedIn();
        this.#pin = pin;
        return;
      }
      throw this.loginFailure(err, token);
    }
    this.markLoggedIn();
    this.#pin = pin;
  }

  private get tokenKey(): string {
    return `${this.module.path}#${this.slotId}`;
  }

  private markLoggedIn(): void {
    this.#loggedIn = true;
    loginsPerToken.set(this.tokenKey, (loginsPerToken.get(this.tokenKey) ?? 0) + 1);
  }

  private loginFailure(err: unknown, before: TokenSummary): KysoError {
    const ckr = ckrOf(err);
    if (ckr !== undefined && GONE.has(ckr)) this.#gone = true;
    let after: TokenSummary | undefined;
    try {
      after = this.refreshToken();
    } catch {
      after = undefined;
    }
    return pinAttemptFailure(err, before, after, 'Logging in to the token');
  }

  /** Runs token calls one after another, whatever the caller's concurrency. */
  serialize<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(
      () => work(),
      () => work(),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  private findObjects(template: Attribute[]): Handle[] {
    const api = this.module.api;
    api.C_FindObjectsInit(this.#session, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = api.C_FindObjects(this.#session, 32);
        if (batch.length === 0) break;
        found.push(...batch);
      }
      return found;
    } finally {
      api.C_FindObjectsFinal(this.#session);
    }
  }

  private attributes(handle: Handle, types: number[]): Map<number, Attribute['value']> {
    const out = new Map<number, Attribute['value']>();
    // Ask one attribute at a time: a single unsupported one fails the whole template on some tokens.
    for (const type of types) {
      try {
        const [attr] = this.module.api.C_GetAttributeValue(this.#session, handle, [{ type }]);
        if (attr) out.set(type, attr.value);
      } catch {
        // attribute absent or sensitive
      }
    }
    return out;
  }

  private guarded<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      const ckr = ckrOf(err);
      if (ckr !== undefined && GONE.has(ckr)) this.#gone = true;
      throw pkcs11Failure(err, action);
    }
  }

  /** The private keys this session can see (all of them once logged in). */
  listKeys(): TokenKey[] {
    return this.guarded('Reading the keys on the token', () =>
      this.findObjects([{ type: CKA.CLASS, value: CKO.PRIVATE_KEY }]).map((handle) => {
        const a = this.attributes(handle, [CKA.ID, CKA.LABEL, CKA.ALWAYS_AUTHENTICATE]);
        const id = a.get(CKA.ID);
        const label = a.get(CKA.LABEL);
        return {
          idHex: Buffer.isBuffer(id) ? id.toString('hex') : '',
          label: Buffer.isBuffer(label) ? label.toString('utf8') : typeof label === 'string' ? label : '',
          handle,
          alwaysAuthenticate:
            a.get(CKA.ALWAYS_AUTHENTICATE) === true || bufferTrue(a.get(CKA.ALWAYS_AUTHENTICATE)),
        };
      }),
    );
  }

  private listPublicKeyIds(): Set<string> {
    return this.guarded('Reading the public keys on the token', () => {
      const ids = new Set<string>();
      for (const handle of this.findObjects([{ type: CKA.CLASS, value: CKO.PUBLIC_KEY }])) {
        const id = this.attributes(handle, [CKA.ID]).get(CKA.ID);
        if (Buffer.isBuffer(id)) ids.add(id.toString('hex'));
      }
      return ids;
    });
  }

  /** Certificates with whether their private key is on the token (matched by CKA_ID). */
  listCertificates(): TokenCertificate[] {
    const keys = this.listKeys();
    const publicIds = this.#loggedIn ? new Set<string>() : this.listPublicKeyIds();
    return this.guarded('Reading the certificates on the token', () =>
      this.findObjects([{ type: CKA.CLASS, value: CKO.CERTIFICATE }]).flatMap((handle) => {
        const a = this.attributes(handle, [CKA.VALUE, CKA.ID, CKA.LABEL, CKA.CERTIFICATE_CATEGORY]);
        const value = a.get(CKA.VALUE);
        if (!Buffer.isBuffer(value)) return [];
        let info: CertificateInfo;
        try {
          info = parseCertificate(new Uint8Array(value));
        } catch {
          return []; // not an X.509 certificate we can read; skip rather than fail the listing
        }
        const id = a.get(CKA.ID);
        const idHex = Buffer.isBuffer(id) ? id.toString('hex') : '';
        const label = a.get(CKA.LABEL);
        const category = a.get(CKA.CERTIFICATE_CATEGORY);
        // CK_ULONG in host order; 2 = authority. Reading the first byte suffices for a value this small.
        const authority =
          (Buffer.isBuffer(category) && category.length > 0 && category[0] === 2) || info.isCA;
        let hasPrivateKey: boolean | undefined;
        if (this.keyForCertificate(info, idHex, keys)) hasPrivateKey = true;
        else if (this.#loggedIn || !this.#token.flags.loginRequired) hasPrivateKey = false;
        else hasPrivateKey = publicIds.has(idHex) ? true : undefined;
        if (authority && hasPrivateKey === undefined) hasPrivateKey = false;
        return [
          {
            idHex,
            label: Buffer.isBuffer(label) ? label.toString('utf8').normalize('NFC') : '',
            info,
            isAuthority: authority,
            hasPrivateKey,
          },
        ];
      }),
    );
  }

  /**
   * The private key of a certificate: by CKA_ID first (how CAs provision tokens), then by the RSA
   * modulus, for tokens whose tools wrote different IDs on the key and the certificate.
   */
  keyForCertificate(
    info: CertificateInfo,
    idHex: string,
    keys: readonly TokenKey[] = this.listKeys(),
  ): TokenKey | undefined {
    const byId = idHex === '' ? undefined : keys.find((k) => k.idHex === idHex);
    if (byId || info.key.kind !== 'rsa') return byId;
    const modulus = rsaModulus(info.spki);
    return keys.find((k) => {
      const m = this.attributes(k.handle, [CKA.MODULUS]).get(CKA.MODULUS);
      return Buffer.isBuffer(m) && modulus !== undefined && stripZeros(m).equals(modulus);
    });
  }

  /** Signs with a key on the token; the whole init/login/sign sequence holds the token. */
  sign(
    key: TokenKey,
    mechanism: Parameters<Pkcs11Module['api']['C_SignInit']>[1],
    data: Buffer,
    outLength: number,
  ): Promise<Buffer> {
    return this.serialize(async () => {
      if (this.#gone) {
        throw new KysoError('PKCS11_DEVICE_REMOVED', 'The token was removed; insert it again.', {
          details: { slotId: this.slotId },
        });
      }
      const api = this.module.api;
      try {
        api.C_SignInit(this.#session, mechanism, key.handle);
        if (key.alwaysAuthenticate) {
          if (this.#pin) api.C_Login(this.#session, CKU.CONTEXT_SPECIFIC, this.#pin.reveal());
          else api.C_Login(this.#session, CKU.CONTEXT_SPECIFIC, undefined);
        }
        return await api.C_SignAsync(this.#session, data, Buffer.alloc(outLength));
      } catch (err) {
        const ckr = ckrOf(err);
        if (ckr !== undefined && GONE.has(ckr)) this.#gone = true;
        throw pkcs11Failure(err, 'Signing with the token');
      }
    });
  }

  mechanisms(): Set<number> {
    return this.guarded(
      'Reading the token mechanisms',
      () => new Set(this.module.api.C_GetMechanismList(this.slot)),
    );
  }

  close(): void {
    this.#pin = null;
    const api = this.module.api;
    try {
      if (this.#loggedIn) {
        const left = (loginsPerToken.get(this.tokenKey) ?? 1) - 1;
        if (left > 0) loginsPerToken.set(this.tokenKey, left);
        else loginsPerToken.delete(this.tokenKey);
        if (left <= 0 && !this.#gone) api.C_Logout(this.#session);
      }
    } catch {
      // logging out of a removed token fails; the session is gone anyway
    }
    try {
      api.C_CloseSession(this.#session);
    } catch {
      // as above
    }
    this.#loggedIn = false;
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function rsaModulus(spki: Uint8Array): Buffer | undefined {
  try {
    const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
      format: 'jwk',
    });
    return typeof jwk.n === 'string' ? stripZeros(Buffer.from(jwk.n, 'base64url')) : undefined;
  } catch {
    return undefined;
  }
}

function bufferTrue(value: Attribute['value']): boolean {
  return Buffer.isBuffer(value) && value.length > 0 && value[0] === 1;
}
