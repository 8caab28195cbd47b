/**
 * WeChat's side of API security (API 安全) for one app: it verifies a
 * request's RSA-PSS signature with the app's public key over
 * `urlpath\nappid\ntimestamp\nbody` (a signed text with the SN in it, or
 * none, is 40234), decrypts its AES-256-GCM body (AAD
 * `urlpath|appid|timestamp|aesSn`), and seals each answer the same way,
 * signed with the platform's private key.
 */
import { constants, createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './http-io.js';

/**
 * An app's API security as the stand-in holds it: the app's public key, the platform's private key.
 *
 * @example
 * ```ts
 * const keys = generateApiSecurityKeys();
 * const wechat = await startWechatStandIn({ apiSecurity: keys.standIn });
 * ```
 */
export interface StandInApiSecurityInput {
  /** The AES256_GCM key, base64 of 32 bytes (the same as the server's). */
  aesKey: string;
  aesSn: string;
  /** The app's RSA public key (PEM), to verify request signatures. */
  publicKey: string;
  /** The platform's RSA private key (PEM), to sign answers. */
  platformPrivateKey: string;
  platformSn: string;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** What an opened request holds: its parameters, `_n`, `_appid` and `_timestamp` taken out. */
export type OpenedRequest = { params: Record<string, unknown> } | { errcode: number };

/** One app's keys and the two directions of its envelope. */
export class StandInSecurity {
  readonly #aesKey: Buffer;
  readonly #aesSn: string;
  readonly #publicKey: KeyObject;
  readonly #platformKey: KeyObject;
  readonly #platformSn: string;

  constructor(input: StandInApiSecurityInput, name: string) {
    const key = Buffer.from(String(input?.aesKey ?? ''), 'base64');
    if (key.length !== 32) throw new TypeError(`${name}.aesKey must be base64 of 32 bytes`);
    this.#aesKey = key;
    this.#aesSn = String(input.aesSn);
    this.#publicKey = createPublicKey(input.publicKey);
    this.#platformKey = createPrivateKey(input.platformPrivateKey);
    this.#platformSn = String(input.platformSn);
  }

  /** Verify and decrypt a request to `urlpath` for `appId`: 40234 for a signature it refuses, 40097 for a body that does not open. */
  open(urlpath: string, appId: string, headers: IncomingHttpHeaders, body: string): OpenedRequest {
    const timestamp = header(headers, 'wechatmp-timestamp');
    const signature = header(headers, 'wechatmp-signature');
    if (header(headers, 'wechatmp-appid') !== appId || !timestamp || !signature) return { errcode: 40234 };
    const signed = Buffer.from(`${urlpath}\n${appId}\n${timestamp}\n${body}`, 'utf8');
    if (!verify('sha256', signed, { key: this.#publicKey, ...PSS }, Buffer.from(signature, 'base64'))) return { errcode: 40234 };
    try {
      const { iv, data, authtag } = JSON.parse(body) as Record<string, string>;
      const decipher = createDecipheriv('aes-256-gcm', this.#aesKey, Buffer.from(iv!, 'base64'));
      decipher.setAAD(Buffer.from(`${urlpath}|${appId}|${timestamp}|${this.#aesSn}`, 'utf8'));
      decipher.setAuthTag(Buffer.from(authtag!, 'base64'));
      const plain = JSON.parse(Buffer.concat([decipher.update(Buffer.from(data!, 'base64')), decipher.final()]).toString('utf8')) as Record<string, unknown>;
      const { _n, _appid, _timestamp, ...params } = plain;
      if (_appid !== appId || String(_timestamp) !== timestamp || typeof _n !== 'string') return { errcode: 40097 };
      return { params };
    } catch {
      return { errcode: 40097 };
    }
  }

  /** The answer `reply` sealed for `urlpath`: encrypted, and signed with the platform key. */
  seal(urlpath: string, appId: string, reply: Reply, nowSeconds: number): Reply {
    const timestamp = String(nowSeconds);
    const plain = JSON.stringify({ ...(reply.json as object), _n: randomBytes(12).toString('base64url'), _appid: appId, _timestamp: nowSeconds });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#aesKey, iv);
    cipher.setAAD(Buffer.from(`${urlpath}|${appId}|${timestamp}|${this.#aesSn}`, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const json = { iv: iv.toString('base64'), data: data.toString('base64'), authtag: cipher.getAuthTag().toString('base64') };
    const signature = sign('sha256', Buffer.from(`${urlpath}\n${appId}\n${timestamp}\n${JSON.stringify(json)}`, 'utf8'), { key: this.#platformKey, ...PSS });
    return {
      status: reply.status,
      json,
      headers: {
        ...reply.headers,
        'Wechatmp-Appid': appId,
        'Wechatmp-TimeStamp': timestamp,
        'Wechatmp-Serial': this.#platformSn,
        'Wechatmp-Signature': signature.toString('base64'),
      },
    };
  }
}
