/**
 * The SHA-1 signatures of WeChat's message push.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

/**
 * A push signature: SHA-1 in lowercase hex of the parts sorted as strings
 * and joined. `signature` is over token, timestamp and nonce (the URL check
 * and plaintext mode); `msg_signature` adds the body's `Encrypt` text as sent
 * (compatible and safe modes).
 *
 * @example
 * ```ts
 * pushSignature('AAAAA', '1714036504', '1514711492'); // 'f464b24fc39322e44b38aa78f5edd27bd1441696'
 * const msgSignature = pushSignature(token, timestamp, nonce, body.Encrypt);
 * ```
 */
export function pushSignature(token: string, timestamp: string, nonce: string, encrypt?: string): string {
  const parts = encrypt === undefined ? [token, timestamp, nonce] : [token, timestamp, nonce, encrypt];
  return createHash('sha1').update(parts.sort().join(''), 'utf8').digest('hex');
}

/**
 * Whether `given` is the hex signature `expected` (either case), compared in constant time.
 *
 * @example
 * ```ts
 * if (!sameSignature(pushSignature(token, timestamp, nonce), query.signature)) refuse();
 * ```
 */
export function sameSignature(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || !SHA1_HEX.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}
