/**
 * A verified push as a typed event, with the identity that de-duplicates it.
 */
import { createHash } from 'node:crypto';
import { PushRefusal } from './refusal.js';
import type { PushFields, PushValue } from './values.js';

/**
 * What a push is about: the three authorization changes WeChat asks the
 * developer to act on, or anything else.
 *
 * @example
 * ```ts
 * const kinds: PushEventKind[] = ['user_cancelled', 'authorization_revoked', 'user_info_modified', 'other'];
 * ```
 */
export type PushEventKind = 'user_cancelled' | 'authorization_revoked' | 'user_info_modified' | 'other';

/**
 * What every push event carries.
 *
 * @example
 * ```ts
 * function logEvent(event: PushEventBase) {
 *   console.log(event.appId, event.event, event.createTime, event.id);
 * }
 * ```
 */
export interface PushEventBase {
  kind: PushEventKind;
  /**
   * The push's identity: equal for WeChat's retries of one push and for a
   * replay, different for two users' pushes of the same second. A hex
   * SHA-256: `MsgId` when the push has one, else every field but `RetryTimes`.
   */
  id: string;
  /** The app the push was verified for. */
  appId: string;
  /** `Event`, or for a message without one its `MsgType` (`text`, `image`…). */
  event: string;
  /** `MsgType` in lower case (`event`, `text`…). */
  msgType: string;
  /** The user: `OpenID` (or `OpenId`); for pushes other than the authorization changes, else `FromUserName`. */
  openid: string | undefined;
  /** `UnionID`, when WeChat sent one. */
  unionid: string | undefined;
  /** `CreateTime`: when WeChat made the push, in Unix seconds. */
  createTime: number;
  /** `MsgId` as exact text, when the push has one. */
  msgId: string | undefined;
  /** Every field as received, by WeChat's names. */
  fields: PushFields;
}

/**
 * `user_authorization_cancellation`: the user deleted their WeChat account.
 *
 * @example
 * ```ts
 * async function onUserCancelled(event: UserCancelledEvent) {
 *   await db.users.deleteMany({ appId: event.appId, openid: event.openid });
 * }
 * ```
 */
export interface UserCancelledEvent extends PushEventBase {
  kind: 'user_cancelled';
  openid: string;
}

/**
 * `user_authorization_revoke`: the user withdrew authorized items.
 *
 * @example
 * ```ts
 * async function onAuthorizationRevoked(event: AuthorizationRevokedEvent) {
 *   if (event.revokeInfo.includes('8')) await db.users.update({ openid: event.openid }, { phone: null });
 * }
 * ```
 */
export interface AuthorizationRevokedEvent extends PushEventBase {
  kind: 'authorization_revoked';
  openid: string;
  /** The withdrawn items' codes as text (`'8'` is the phone number), unknown codes kept. */
  revokeInfo: string[];
}

/**
 * `user_info_modified`: WeChat cleaned up the user's profile (avatar, nickname).
 *
 * @example
 * ```ts
 * async function onUserInfoModified(event: UserInfoModifiedEvent) {
 *   if (event.openid) await db.users.update({ openid: event.openid }, { avatar: null, nickname: null });
 * }
 * ```
 */
export interface UserInfoModifiedEvent extends PushEventBase {
  kind: 'user_info_modified';
}

/**
 * Any other push (messages, payment notices, other events), fields as received.
 *
 * @example
 * ```ts
 * function onEvent(event: OtherPushEvent) {
 *   if (event.event === 'xpay_goods_deliver_notify') deliver(event.fields.OutTradeNo);
 * }
 * ```
 */
export interface OtherPushEvent extends PushEventBase {
  kind: 'other';
}

/**
 * A verified push; `kind` tells which.
 *
 * @example
 * ```ts
 * if (event.kind === 'authorization_revoked') console.log(event.revokeInfo);
 * ```
 */
export type WechatPushEvent = UserCancelledEvent | AuthorizationRevokedEvent | UserInfoModifiedEvent | OtherPushEvent;

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
