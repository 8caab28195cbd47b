import { createHash, randomBytes } from 'node:crypto';

/** 24 random bytes: 192 bits, as 32 base64url characters. */
const TOKEN_BYTES = 24;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

/** A new 3rd_session token: 192 bits from `crypto.randomBytes`, base64url. */
export function createToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Whether `value` can be one of our tokens at all (length and alphabet).
 * Anything else is refused without a store round trip.
 */
export function isTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** Characters of the SHA-256 kept in store keys: 32 base64url characters are its first 24 bytes (192 bits). */
const HASH_CHARS = 32;

/**
 * What the store keeps in place of the token: the first 192 bits of its
 * SHA-256, base64url (32 characters). As far beyond guessing as the token,
 * and shorter keys keep every session smaller in the store.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, HASH_CHARS);
}
