import { badRequest } from '../errors.js';

const KEY_OR_IV = /^[A-Za-z0-9+/]{22}==$/;
const WHITESPACE = /\s/g;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Undo the two transport accidents base64 meets on its way from a
 * mini-program: wrapping over several lines (whitespace around line breaks
 * is not data) and `+` decoded as a space by form or query-string encoding.
 */
export function repairBase64(text: string): string {
  if (text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1) return text.replace(WHITESPACE, '');
  return text.replace(/ /g, '+');
}

/**
 * Decode a 16-byte key or IV given as exactly 24 base64 characters.
 * Node's decoder skips characters it does not know, so the text is checked
 * first: `hA4M…DA==...` is refused instead of silently decoding.
 */
export function decodeKey16(text: unknown, field: string): Buffer {
  if (typeof text !== 'string') throw badRequest(field, `${field} must be a base64 string`);
  const repaired = text.replace(/ /g, '+');
  if (!KEY_OR_IV.test(repaired)) {
    throw badRequest(field, `${field} must be exactly 24 base64 characters (16 bytes)`);
  }
  return Buffer.from(repaired, 'base64');
}

/** Decode AES-CBC ciphertext: strict base64 whose length is a whole number of 16-byte blocks. */
export function decodeCiphertext(text: unknown, field: string): Buffer {
  if (typeof text !== 'string' || text.length === 0) {
    throw badRequest(field, `${field} must be a non-empty base64 string`);
  }
  const repaired = repairBase64(text);
  // Node's decoder skips what it does not know: check the alphabet first.
  if (repaired.length % 4 !== 0 || !BASE64_TEXT.test(repaired)) {
    throw badRequest(field, `${field} is not valid base64`);
  }
  const bytes = Buffer.from(repaired, 'base64');
  if (bytes.length % 16 !== 0) {
    throw badRequest(field, `${field} must decode to a whole number of 16-byte blocks; got ${bytes.length} bytes`);
  }
  return bytes;
}
