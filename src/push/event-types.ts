/**
 * The events a verified push becomes.
 */
import type { PushFields } from './values.js';

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
