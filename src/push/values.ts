/**
 * The values a push carries, read from JSON or XML, and the bounds on their shape.
 */

/**
 * One value of a push: text (XML's values, JSON strings, and JSON integers
 * beyond 2^53 kept exact), a JSON number or literal, a list (a JSON array or
 * a repeated XML element) or nested fields.
 *
 * @example
 * ```ts
 * const msgId: PushValue = '6054768590064713728'; // a 64-bit MsgId, exact
 * ```
 */
export type PushValue = string | number | boolean | null | PushValue[] | PushFields;

/**
 * The fields of a push message, by WeChat's names (`ToUserName`, `Event`, `OpenID`…).
 *
 * @example
 * ```ts
 * const fields: PushFields = { MsgType: 'event', Event: 'user_authorization_revoke', OpenID: 'o…', RevokeInfo: '8' };
 * ```
 */
export interface PushFields {
  [name: string]: PushValue;
}

/** Deepest nesting read: `<xml>` and its children are 2 levels. */
export const MAX_DEPTH = 8;
/** Most values (elements, or JSON values) read in one document. */
export const MAX_VALUES = 1000;

/** A field name that must never become a key: assigning it would change an object's prototype. */
export const FORBIDDEN_NAME = '__proto__';
