import { createCipheriv } from 'node:crypto';
import { encryptPush, pushAesKey } from '../../src/push/cipher.js';
import { pushSignature } from '../../src/push/signature.js';

export const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const TOKEN = 'pushToken2025';
export const APP = 'wx4f4bc4dec97d474b';
export const NOW_SECONDS = 1_735_689_600;
export const CONFIG = { appId: APP, token: TOKEN, encodingAESKey: KEY, now: () => NOW_SECONDS * 1000 };

/** AES-256-CBC of raw plaintext bytes with the push key and IV, no padding added. */
export function rawEncrypt(plain: Buffer, encodingAESKey = KEY): string {
  const key = pushAesKey(encodingAESKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** `random ‖ length ‖ message ‖ appid` as the cipher lays it out, before padding. */
export function layout(message: string, appId = APP, declaredLength?: number): Buffer {
  const text = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(declaredLength ?? text.length);
  return Buffer.concat([Buffer.alloc(16, 0x61), length, text, Buffer.from(appId)]);
}

/** `plain` padded as the cipher pads (PKCS#7 to 32-byte blocks), then `change` applied to a copy. */
export function pad32(plain: Buffer, change: (padded: Buffer) => void = () => {}): Buffer {
  const count = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(count, count)]);
  change(padded);
  return padded;
}

/** A safe-mode JSON request for an Encrypt text, signed with the token (or not, when `signature` is given). */
export function safeRequest(encrypt: unknown, options: { timestamp?: number; nonce?: string; msgSignature?: string } = {}) {
  const timestamp = String(options.timestamp ?? NOW_SECONDS);
  const nonce = options.nonce ?? '123456789';
  const msg_signature = options.msgSignature ?? pushSignature(TOKEN, timestamp, nonce, String(encrypt));
  const query = { signature: pushSignature(TOKEN, timestamp, nonce), timestamp, nonce, openid: 'oUser', encrypt_type: 'aes', msg_signature };
  return { method: 'POST', query, body: JSON.stringify({ ToUserName: 'gh_0', Encrypt: encrypt }) };
}

/** A safe-mode request carrying `message` (JSON text), encrypted for `appId`. */
export function safePush(message: object | string, options: { appId?: string; timestamp?: number; nonce?: string } = {}) {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  return safeRequest(encryptPush(KEY, text, options.appId ?? APP), options);
}

/** A plaintext-mode request carrying `body`. */
export function plainPush(body: string | Buffer, options: { timestamp?: number; nonce?: string; token?: string } = {}) {
  const timestamp = String(options.timestamp ?? NOW_SECONDS);
  const nonce = options.nonce ?? '987654321';
  return { method: 'POST', query: { signature: pushSignature(options.token ?? TOKEN, timestamp, nonce), timestamp, nonce }, body };
}

export const REVOKE = {
  ToUserName: 'gh_0',
  FromUserName: 'oPushService',
  CreateTime: NOW_SECONDS,
  MsgType: 'event',
  Event: 'user_authorization_revoke',
  OpenID: 'oUser',
  AppID: APP,
  RevokeInfo: '8',
};
