import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The `apiSecurity` option of one mini-program (API 安全, set up in its admin console).
 *
 * @example
 * ```ts
 * const apiSecurity: ApiSecurityOptions = {
 *   aesKey: process.env.WECHAT_API_AES_KEY!, aesSn: process.env.WECHAT_API_AES_SN!,
 *   privateKey: process.env.WECHAT_API_PRIVATE_KEY!, rsaSn: process.env.WECHAT_API_RSA_SN!,
 *   platformPublicKey: process.env.WECHAT_API_PLATFORM_KEY!, platformSn: process.env.WECHAT_API_PLATFORM_SN!,
 * };
 * ```
 */
export interface ApiSecurityOptions {
  /** The AES256_GCM key: base64 of 32 bytes. */
  aesKey: string;
  /** The AES key's SN. */
  aesSn: string;
  /** The RSA private key (RSAwithSHA256), PKCS#1 or PKCS#8 PEM, as the console gives it. */
  privateKey: string;
  /** The RSA key's SN. */
  rsaSn: string;
  /** WeChat's platform certificate (X.509 PEM) or public key (PEM), to verify answers. */
  platformPublicKey: string;
  /** The platform certificate's SN. */
  platformSn: string;
}

const AES_KEY = /^[A-Za-z0-9+/]{43}=$/;
const SN = /^[A-Za-z0-9_-]{1,128}$/;
const PRIVATE_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const refuse = (name: string, want: string): never => {
  throw new TypeError(`express-wechat-session: \`${name}\` must be ${want}`);
};

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
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      refuse(name, 'an object { aesKey, aesSn, privateKey, rsaSn, platformPublicKey, platformSn }');
    const { aesKey, aesSn, privateKey, rsaSn, platformPublicKey, platformSn, ...rest } = value as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) refuse(`${name}.${unknown}`, 'left out (not an API security option)');
    if (typeof aesKey !== 'string' || !AES_KEY.test(aesKey)) refuse(`${name}.aesKey`, 'the AES256_GCM key, base64 of 32 bytes (44 characters)');
    for (const [field, sn] of [
      ['aesSn', aesSn],
      ['rsaSn', rsaSn],
      ['platformSn', platformSn],
    ] as const) {
      if (typeof sn !== 'string' || !SN.test(sn)) refuse(`${name}.${field}`, 'the SN shown beside the key in the admin console');
    }
    this.#aesKey = Buffer.from(aesKey as string, 'base64');
    this.#privateKey = readKey(
      () => createPrivateKey({ key: privateKey as string, format: 'pem' }),
      `${name}.privateKey`,
      'an RSA private key in PEM (PKCS#1 or PKCS#8)',
    );
    // Node derives a public key from a private one: refuse it here, where the fields were mixed up.
    if (PRIVATE_PEM.test(String(platformPublicKey))) refuse(`${name}.platformPublicKey`, "WeChat's platform certificate or public key, not a private key");
    this.#platformKey = readKey(
      () => createPublicKey({ key: platformPublicKey as string, format: 'pem' }),
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
function readKey(read: () => KeyObject, name: string, want: string): KeyObject {
  try {
    const key = read();
    if (key.asymmetricKeyType === 'rsa') return key;
  } catch {
    // refused below, as a key of another type is
  }
  return refuse(name, want);
}
