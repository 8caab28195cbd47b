import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { fail, nestedObject, secret } from '../options/checks.js';

const AES_KEY = /^[A-Za-z0-9+/]{43}=$/;
const SN = /^[A-Za-z0-9_-]{1,128}$/;
const PRIVATE_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const FIELDS = ['aesKey', 'aesSn', 'privateKey', 'rsaSn', 'platformPublicKey', 'platformSn'];

/**
 * One app's API security keys, checked at start-up and kept in `#private`
 * fields: they never show in `JSON.stringify`, `util.inspect` or a log line.
 */
export class ApiSecurityKeys {
  readonly aesSn: string;
  readonly rsaSn: string;
  readonly platformSn: string;
  readonly #aesKey: Buffer;
  readonly #privateKey: KeyObject;
  readonly #platformKey: KeyObject;

  /** Check the option named `name` (e.g. `apps[0].apiSecurity`); throws a `TypeError` naming the part that is wrong. */
  constructor(value: unknown, name: string) {
    const { aesKey, aesSn, privateKey, rsaSn, platformPublicKey, platformSn } = nestedObject(value, name, `an object { ${FIELDS.join(', ')} }`, FIELDS);
    if (typeof aesKey !== 'string' || !AES_KEY.test(aesKey)) fail(`${name}.aesKey`, 'the AES256_GCM key, base64 of 32 bytes (44 characters)', secret(aesKey));
    for (const [field, sn] of [
      ['aesSn', aesSn],
      ['rsaSn', rsaSn],
      ['platformSn', platformSn],
    ] as const) {
      if (typeof sn !== 'string' || !SN.test(sn)) fail(`${name}.${field}`, 'the SN shown beside the key in the admin console', secret(sn));
    }
    this.#aesKey = Buffer.from(aesKey as string, 'base64');
    this.#privateKey = readKey(
      privateKey,
      (key) => createPrivateKey({ key, format: 'pem' }),
      `${name}.privateKey`,
      'an RSA private key in PEM (PKCS#1 or PKCS#8)',
    );
    // Node derives a public key from a private one: refuse it here, where the fields were mixed up.
    if (PRIVATE_PEM.test(String(platformPublicKey)))
      fail(`${name}.platformPublicKey`, "WeChat's platform certificate or public key, not a private key", secret(platformPublicKey));
    this.#platformKey = readKey(
      platformPublicKey,
      (key) => createPublicKey({ key, format: 'pem' }),
      `${name}.platformPublicKey`,
      "WeChat's platform certificate or public key in PEM",
    );
    this.aesSn = aesSn as string;
    this.rsaSn = rsaSn as string;
    this.platformSn = platformSn as string;
  }

  /** @internal */ aesKey(): Buffer {
    return this.#aesKey;
  }

  /** @internal */ privateKey(): KeyObject {
    return this.#privateKey;
  }

  /** @internal */ platformKey(): KeyObject {
    return this.#platformKey;
  }
}

/** Read an RSA key; anything else (not a string, not PEM, another key type) is refused naming the option. */
function readKey(value: unknown, read: (pem: string) => KeyObject, name: string, want: string): KeyObject {
  try {
    const key = read(value as string);
    if (key.asymmetricKeyType === 'rsa') return key;
  } catch {
    // refused below, as a key of another type is
  }
  return fail(name, want, secret(value));
}
