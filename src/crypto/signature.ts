import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const HEX40 = /^[0-9a-fA-F]{40}$/;

/**
 * Check the getUserInfo signature: `sha1(rawData + session_key)` in hex,
 * compared in constant time. `rawData` must be the exact text WeChat gave.
 *
 * @example
 * ```ts
 * if (!verifyUserSignature(body.rawData, body.signature, sessionKey)) throw new Error('forged');
 * ```
 */
export function verifyUserSignature(rawData: string, signature: string, sessionKey: string): boolean {
  if (typeof rawData !== 'string' || typeof signature !== 'string' || !HEX40.test(signature)) return false;
  const expected = createHash('sha1')
    .update(rawData + sessionKey)
    .digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/**
 * The login-state signature of WeChat's `sig_method=hmac_sha256` APIs
 * (checksession, resetusersessionkey): HMAC-SHA256 keyed with the
 * session_key's base64 *text*, over the POST body (`""` for GET), in hex.
 *
 * @example
 * ```ts
 * const signature = loginStateSignature(sessionKey); // for GET /wxa/checksession
 * ```
 */
export function loginStateSignature(sessionKey: string, payload = ''): string {
  return createHmac('sha256', sessionKey).update(payload).digest('hex');
}
