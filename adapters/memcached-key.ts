import { createHash } from 'node:crypto';
import { fail } from '../src/options/checks.js';

/** Memcached's limit on key length, in bytes. */
export const MEMCACHED_MAX_KEY_BYTES = 250;

/** Marks a hashed key; keys the library writes never start with it. */
const HASHED_MARK = '~';
// Space, control characters and DEL: the text protocol forbids them in keys.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0020\u007f]/;

/**
 * The memcached key for `prefix + key`: the key itself when it is short and
 * safe, otherwise `prefix + '~' + base64url(sha256(prefix + key))` (the same
 * every time, 44 bytes after the prefix).
 */
export function memcachedKey(prefix: string, key: string): string {
  const full = prefix + key;
  const safe = !key.startsWith(HASHED_MARK) && !UNSAFE.test(full) && Buffer.byteLength(full) <= MEMCACHED_MAX_KEY_BYTES;
  return safe ? full : prefix + HASHED_MARK + createHash('sha256').update(full).digest('base64url');
}

/**
 * Throws a `TypeError` unless `prefix` leaves room for a hashed key.
 */
export function checkMemcachedPrefix(prefix: string): void {
  if (UNSAFE.test(prefix) || Buffer.byteLength(prefix) > MEMCACHED_MAX_KEY_BYTES - 44) {
    fail('prefix', `at most ${MEMCACHED_MAX_KEY_BYTES - 44} bytes without spaces or control characters`, JSON.stringify(prefix), 'memcachedStore');
  }
}

/** Longest TTL memcached reads as relative seconds; larger numbers are Unix times. */
const MEMCACHED_MAX_RELATIVE_TTL = 60 * 60 * 24 * 30;

/**
 * The expiry to send for `ttlSeconds`: relative up to 30 days, an absolute
 * Unix time beyond (memcached reads larger numbers that way).
 */
export function memcachedExpiry(ttlSeconds: number, nowMs = Date.now()): number {
  const seconds = Math.max(1, Math.ceil(ttlSeconds));
  return seconds <= MEMCACHED_MAX_RELATIVE_TTL ? seconds : Math.floor(nowMs / 1000) + seconds;
}
