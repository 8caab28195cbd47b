/**
 * A push body or a decrypted message, JSON or XML, read into its fields.
 */
import { JsonRefused, readPushJson } from './json.js';
import { PushRefusal, type PushRefusalReason } from './refusal.js';
import type { PushFields } from './values.js';
import { readPushXml, XmlRefused } from './xml.js';

/**
 * Read a JSON object or an `<xml>` document. The format is told by the first
 * character that is not blank (`{` or `<`), since WeChat's `Content-Type`
 * for each format is not documented.
 *
 * @param refusal - the reason thrown for text this reader does not take
 * @throws PushRefusal with `refusal`
 *
 * @example
 * ```ts
 * const fields = readPushBody('<xml><MsgId>6054768590064713728</MsgId></xml>', 'malformed_body');
 * fields.MsgId; // '6054768590064713728'
 * ```
 */
export function readPushBody(text: string, refusal: PushRefusalReason): PushFields {
  const first = /\S/.exec(text)?.[0];
  try {
    if (first === '{') return readPushJson(text);
    if (first === '<') return readPushXml(text);
  } catch (error) {
    if (!(error instanceof JsonRefused || error instanceof XmlRefused)) throw error;
  }
  throw new PushRefusal(refusal);
}
