/**
 * A verified push as a typed event, with the identity that de-duplicates it.
 */
import { createHash } from 'node:crypto';
import type { PushEventKind, WechatPushEvent } from './event-types.js';
import { PushRefusal } from './refusal.js';
import type { PushFields, PushValue } from './values.js';

const KINDS: Readonly<Record<string, PushEventKind>> = {
  user_authorization_cancellation: 'user_cancelled',
  user_authorization_revoke: 'authorization_revoked',
  user_info_modified: 'user_info_modified',
};

/** Fields that change between WeChat's attempts at one push (payment pushes count their retries). */
const PER_ATTEMPT = new Set(['RetryTimes']);

/** A field as text: a string, or an integer given as a JSON number. */
function textOf(fields: PushFields, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = fields[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  }
  return undefined;
}

/** Every code a `RevokeInfo` holds: text split at commas or spaces, numbers, lists or nested fields. */
function codesOf(value: PushValue | undefined): string[] {
  if (typeof value === 'string') return value.split(/[\s,|]+/).filter((code) => code !== '');
  if (typeof value === 'number') return [String(value)];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap((item) => codesOf(item));
}

/** A form of the fields that JSON and XML pushes of one message share: keys sorted, leaves as text. */
function canonical(value: PushValue): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object') return String(value);
  const keys = Object.keys(value)
    .filter((key) => !PER_ATTEMPT.has(key))
    .sort();
  return keys.map((key) => [key, canonical(value[key] as PushValue)]);
}

function identity(appId: string, fields: PushFields, msgId: string | undefined): string {
  const basis = msgId === undefined ? ['fields', appId, canonical(fields)] : ['msgid', appId, msgId];
  return createHash('sha256').update(JSON.stringify(basis), 'utf8').digest('hex');
}

/**
 * Turn a verified message into its event.
 *
 * @throws PushRefusal `malformed_message` (no `MsgType`/`Event`, no `CreateTime`, an authorization change without
 * its user) or `wrong_app_id` (the message's `AppID` is another app's)
 *
 * @example
 * ```ts
 * const event = toPushEvent({ MsgType: 'event', Event: 'user_authorization_revoke', CreateTime: 1626857200, OpenID: 'o…', RevokeInfo: '8' }, 'wx13974bf780d3dc89');
 * ```
 */
export function toPushEvent(fields: PushFields, appId: string): WechatPushEvent {
  const given = textOf(fields, 'Event');
  const msgType = textOf(fields, 'MsgType')?.toLowerCase() ?? (given === undefined ? undefined : 'event');
  const event = given ?? msgType;
  const createTime = textOf(fields, 'CreateTime');
  if (msgType === undefined || event === undefined || createTime === undefined || !/^[0-9]{1,12}$/.test(createTime)) {
    throw new PushRefusal('malformed_message');
  }
  const named = textOf(fields, 'AppID', 'AppId');
  if (named !== undefined && named !== appId) throw new PushRefusal('wrong_app_id');
  const kind = KINDS[event.toLowerCase()] ?? 'other';
  const openid = textOf(fields, 'OpenID', 'OpenId') ?? (kind === 'other' ? textOf(fields, 'FromUserName') : undefined);
  const msgId = textOf(fields, 'MsgId', 'MsgID');
  const base = {
    id: identity(appId, fields, msgId),
    appId,
    event,
    msgType,
    openid,
    unionid: textOf(fields, 'UnionID', 'UnionId'),
    createTime: Number(createTime),
    msgId,
    fields,
  };
  if (kind === 'other' || kind === 'user_info_modified') return { ...base, kind };
  if (openid === undefined) throw new PushRefusal('malformed_message');
  if (kind === 'user_cancelled') return { ...base, kind, openid };
  return { ...base, kind, openid, revokeInfo: codesOf(fields.RevokeInfo) };
}
