// A PKCS#12 (.p12/.pfx) file as a signer: the key, its certificate, and the other certificates as
// the chain. The container is read by pkcs12-container.ts, loaded on first use.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import { KeySigner } from './key-signer.js';
import { kysoHome } from '../home.js';
import { loadEffectiveSettings } from '../settings.js';
import type { Bag } from './pkcs12-container.js';

const MAX_P12_BYTES = 10 * 1024 * 1024;

interface Certificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly localKeyId: string | undefined;
}

/** The issuers of `leaf` found among `others`, issuer first, then whatever else the file held. */
function orderChain(leaf: X509Certificate, others: Certificate[]): Uint8Array[] {
  const rest = [...others];
  const chain: Uint8Array[] = [];
  let current = leaf;
  while (!current.checkIssued(current)) {
    const index = rest.findIndex((c) => current.checkIssued(c.x509));
    const issuer = rest[index];
    if (issuer === undefined) break;
    rest.splice(index, 1);
    chain.push(issuer.der);
    current = issuer.x509;
  }
  return [...chain, ...rest.map((c) => c.der)];
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/**
 * Opens a PKCS#12 file as a {@link KeySigner}: its private key, the certificate of that key and
 * the other certificates as the chain. Errors: P12_NOT_FOUND, P12_PASSWORD_INCORRECT, P12_INVALID
 * (details.reason says why), KEY_UNSUPPORTED. The password never appears in an error.
 */
export async function openP12(
  path: string,
  password: string | Secret,
  home: string = kysoHome(),
): Promise<KeySigner> {
  // The settings (or the machine policy) may forbid key files on this computer.
  (await loadEffectiveSettings(home)).assertIdentityAllowed('p12');
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw new KysoError('P12_NOT_FOUND', `no PKCS#12 file at ${path}`, { details: { path } });
    }
    throw new KysoError('P12_INVALID', `cannot read ${path}`, {
      details: { path, reason: 'unreadable' },
      cause,
    });
  }
  if (file.length > MAX_P12_BYTES) {
    throw new KysoError('P12_INVALID', `${path} is too large for a PKCS#12 file`, {
      details: { path, reason: 'too-large' },
    });
  }

  const { readPfx, P12Error, loadForge } = await import('./pkcs12-container.js');
  loadForge();
  let bags: Bag[];
  let macVerified: boolean;
  try {
    ({ bags, macVerified } = readPfx(
      file.toString('binary'),
      password instanceof Secret ? password.reveal() : password,
    ));
  } catch (error) {
    if (error instanceof P12Error) {
      throw new KysoError(error.code, `${path}: ${error.message}`, {
        details: { path, reason: error.reason },
      });
    }
    // forge's own failures (truncated data, bad lengths): no password in them, but keep them out anyway
    throw new KysoError('P12_INVALID', `${path} is not a valid PKCS#12 file`, {
      details: { path, reason: 'structure' },
    });
  }

  const certificates: Certificate[] = [];
  for (const bag of bags) {
    if (bag.kind !== 'cert') continue;
    const der = new Uint8Array(Buffer.from(bag.der, 'binary'));
    try {
      certificates.push({ der, x509: new X509Certificate(der), localKeyId: bag.localKeyId });
    } catch {
      // an unreadable extra certificate is no reason to refuse the identity
    }
  }

  let sawKey = false;
  for (const bag of bags) {
    if (bag.kind !== 'key') continue;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: Buffer.from(bag.der, 'binary'), format: 'der', type: 'pkcs8' });
    } catch (cause) {
      if (!macVerified) {
        throw new KysoError('P12_PASSWORD_INCORRECT', `${path}: wrong PKCS#12 password`, {
          details: { path, reason: 'decrypt' },
        });
      }
      throw new KysoError('KEY_UNSUPPORTED', `${path}: the private key cannot be used`, {
        details: { path, reason: 'key-unreadable' },
        cause,
      });
    }
    sawKey = true;
    const publicKey = spkiOf(createPublicKey(key));
    const matching = certificates.filter((c) => spkiOf(c.x509.publicKey).equals(publicKey));
    const leaf =
      matching.find((c) => bag.localKeyId !== undefined && c.localKeyId === bag.localKeyId) ?? matching[0];
    if (leaf === undefined) continue;
    const chain = orderChain(
      leaf.x509,
      certificates.filter((c) => c !== leaf && !matching.includes(c)),
    );
    return new KeySigner(key, leaf.der, chain);
  }
  throw new KysoError(
    'P12_INVALID',
    sawKey ? `${path} has no certificate for its private key` : `${path} holds no private key`,
    { details: { path, reason: sawKey ? 'no-matching-certificate' : 'no-key' } },
  );
}
