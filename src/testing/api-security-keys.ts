/**
 * A matching set of API security keys for a server and a stand-in, made
 * fresh: what a mini-program's admin console and WeChat would each hold.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ApiSecurityOptions } from '../options/platform-types.js';
import type { StandInApiSecurityInput } from './api-security.js';

/**
 * The server's half: the `apiSecurity` option of `wechatSession` or `createWechatClient` (its private key PKCS#1 PEM, as the admin console gives it).
 *
 * @example
 * ```ts
 * const server: ServerApiSecurityKeys = generateApiSecurityKeys().server;
 * wechatSession({ appId, appSecret, apiSecurity: server });
 * ```
 */
export type ServerApiSecurityKeys = ApiSecurityOptions;

/**
 * Generate the AES key, the app's RSA pair and the platform's RSA pair, with
 * random SNs, split into the server's and the stand-in's halves.
 *
 * @example
 * ```ts
 * const keys = generateApiSecurityKeys();
 * const wechat = await startWechatStandIn({ apiSecurity: keys.standIn });
 * const ctx = wechatSession({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, apiSecurity: keys.server });
 * ```
 */
export function generateApiSecurityKeys(): { server: ServerApiSecurityKeys; standIn: StandInApiSecurityInput } {
  const aesKey = randomBytes(32).toString('base64');
  const aesSn = randomBytes(16).toString('hex');
  const platformSn = randomBytes(16).toString('hex');
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (key: { export(o: object): string | Buffer }, o: object): string => String(key.export(o));
  return {
    server: {
      aesKey,
      aesSn,
      privateKey: pem(app.privateKey, { type: 'pkcs1', format: 'pem' }),
      rsaSn: randomBytes(16).toString('hex'),
      platformPublicKey: pem(platform.publicKey, { type: 'spki', format: 'pem' }),
      platformSn,
    },
    standIn: {
      aesKey,
      aesSn,
      publicKey: pem(app.publicKey, { type: 'spki', format: 'pem' }),
      platformPrivateKey: pem(platform.privateKey, { type: 'pkcs8', format: 'pem' }),
      platformSn,
    },
  };
}
