/**
 * Random identifiers and the WeChat data crypto, as the stand-in produces them.
 */
import { createCipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const BASE64_16_BYTES = /^[A-Za-z0-9+/]{22}==$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function decode16(value: string, name: string): Buffer {
  if (!BASE64_16_BYTES.test(value)) {
    throw new TypeError(`${name} must be the base64 text of 16 bytes (24 characters ending in '==')`);
  }
  return Buffer.from(value, 'base64');
}

/**
 * Encrypt a JSON text the way WeChat encrypts `encryptedData`: AES-128-CBC
 * with PKCS#7 padding, the key being the decoded session_key.
 *
 * @param sessionKeyBase64 - the user's session_key (base64 of 16 bytes)
 * @param plaintextJson - the text to encrypt, usually JSON with a `watermark`
 * @param ivBase64 - base64 of a 16-byte IV; random when omitted
 * @returns base64 `encryptedData` and the base64 `iv`
 * @throws TypeError when the key or IV is not base64 of 16 bytes
 *
 * @example
 * ```ts
 * const { encryptedData, iv } = encryptWechatData(
 *   'HyVFkGl5F5OQWJZZaNzBBg==',
 *   JSON.stringify({ phoneNumber: '13800138000', watermark: { appid: 'wx123', timestamp: 1 } }),
 * );
 * ```
 */
export function encryptWechatData(sessionKeyBase64: string, plaintextJson: string, ivBase64?: string): { encryptedData: string; iv: string } {
  const key = decode16(sessionKeyBase64, 'sessionKeyBase64');
  const iv = ivBase64 === undefined ? randomBytes(16) : decode16(ivBase64, 'ivBase64');
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const data = Buffer.concat([cipher.update(plaintextJson, 'utf8'), cipher.final()]);
  return { encryptedData: data.toString('base64'), iv: iv.toString('base64') };
}

/** A new session_key: 16 random bytes as base64 (24 characters). */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64');
}

/** A random openid: `'o'` followed by 27 base64url characters. */
export function newOpenid(): string {
  return 'o' + randomBytes(21).toString('base64url').slice(0, 27);
}

/** A random WeCom userid: `'user'` followed by 12 hex characters. */
export function newUserId(): string {
  return 'user' + randomBytes(6).toString('hex');
}

/** A login code shaped like WeChat's: 32 alphanumeric characters. */
export function newLoginCode(): string {
  let code = '';
  for (let i = 0; i < 32; i += 1) code += ALNUM[randomInt(ALNUM.length)];
  return code;
}

/** A phone code shaped like WeChat's: 64 hex characters. */
export function newPhoneCode(): string {
  return randomBytes(32).toString('hex');
}

/** An access token: 128 base64url characters. */
export function newAccessToken(): string {
  return randomBytes(96).toString('base64url');
}

/** A request id like the `rid` WeChat appends to error messages. */
export function newRid(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  return `${seconds}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Login-state signature of `checksession` and `resetusersessionkey`: hex
 * hmac_sha256 of `message` (`''` for GET calls), keyed by the session_key's
 * base64 text (not its decoded bytes).
 *
 * @example
 * ```ts
 * loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==', '{"foo":"bar"}');
 * // '654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b'
 * ```
 */
export function loginStateSignature(sessionKey: string, message = ''): string {
  return createHmac('sha256', sessionKey).update(message, 'utf8').digest('hex');
}

/**
 * User-data signature of `wx.getUserInfo`: hex sha1 of `rawData` followed by the session_key.
 *
 * @example
 * ```ts
 * const signature = userDataSignature(rawData, sessionKey); // 40 lowercase hex characters
 * ```
 */
export function userDataSignature(rawData: string, sessionKey: string): string {
  return createHash('sha1')
    .update(rawData + sessionKey, 'utf8')
    .digest('hex');
}

/** Compare two strings in constant time (for equal lengths). */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
