/**
 * JSON with exact integers: WeChat sends `MsgId` as a 64-bit JSON number,
 * which `JSON.parse` would round. Integers beyond 2^53 become strings of
 * their digits before parsing; everything else is JSON.parse's.
 */
import { FORBIDDEN_NAME, MAX_DEPTH, MAX_VALUES, type PushFields } from './values.js';

/** A JSON number token (RFC 8259 grammar), matched where a value starts. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Thrown for anything the reader does not take. */
export class JsonRefused extends Error {}

/** `text` with every integer literal beyond the safe range quoted. */
function quoteLargeIntegers(text: string): string {
  let out = '';
  let from = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '"') {
      at += 1;
      while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
      at += 1;
    } else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = at;
      const token = NUMBER.exec(text)?.[0];
      if (token === undefined) return text; // not a number: JSON.parse refuses it
      if (/^-?[0-9]+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(from, at)}"${token}"`;
        from = at + token.length;
      }
      at += token.length;
    } else {
      at += 1;
    }
  }
  return out + text.slice(from);
}

/** Throws unless `value` stays within the depth and size bounds and holds no forbidden key. */
function checkShape(value: unknown, depth: number, budget: { left: number }): void {
  if (depth > MAX_DEPTH || --budget.left < 0) throw new JsonRefused('too deep or too many values');
  if (value === null || typeof value !== 'object') return;
  const entries = Array.isArray(value) ? value.map((item) => ['', item] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (key === FORBIDDEN_NAME) throw new JsonRefused('forbidden key');
    checkShape(item, depth + 1, budget);
  }
}

/**
 * Parse a JSON object, integers beyond 2^53 kept as strings of their digits.
 *
 * @throws JsonRefused for invalid JSON, a non-object, or a value past the bounds
 */
export function readPushJson(text: string): PushFields {
  let value: unknown;
  try {
    value = JSON.parse(quoteLargeIntegers(text));
  } catch {
    throw new JsonRefused('invalid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new JsonRefused('not a JSON object');
  checkShape(value, 1, { left: MAX_VALUES });
  return value as PushFields;
}
