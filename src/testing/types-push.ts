/**
 * Types of the pushes a stand-in sends to an app's message-push URL.
 */

/**
 * An app's message-push settings, as entered in its console (开发管理 → 消息推送).
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn({ push: { token: 'pushToken123', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' } });
 * ```
 */
export interface StandInPushInput {
  /** The Token (令牌) both sides sign with. */
  token: string;
  /** The 43-character EncodingAESKey; without it the app can only be sent plaintext pushes. */
  encodingAESKey?: string;
}

/**
 * 消息加解密方式: plaintext (明文), compatible (兼容: the message and its ciphertext), safe (安全: ciphertext only).
 *
 * @example
 * ```ts
 * const modes: StandInPushMode[] = ['plaintext', 'compatible', 'safe'];
 * ```
 */
export type StandInPushMode = 'plaintext' | 'compatible' | 'safe';

/**
 * 数据格式: the body's format.
 *
 * @example
 * ```ts
 * await wechat.sendPush(url, message, { format: 'xml' });
 * ```
 */
export type StandInPushFormat = 'json' | 'xml';

/**
 * A field of a pushed message: text (a CDATA section in XML), a number or a
 * `bigint` (bare digits in both formats, as WeChat sends `CreateTime` and a
 * 64-bit `MsgId`), a list (repeated elements in XML) or nested fields.
 *
 * @example
 * ```ts
 * const msgId: StandInPushValue = 6054768590064713728n;
 * ```
 */
export type StandInPushValue = string | number | bigint | boolean | null | StandInPushValue[] | { [name: string]: StandInPushValue };

/**
 * The message of a push, by WeChat's field names. `ToUserName` (the app's
 * `gh_` name), `FromUserName` (the push service's name, as on authorization
 * changes), `CreateTime` (the stand-in's clock) and `MsgType` (`event`, when
 * `Event` is given) are filled in unless given.
 *
 * @example
 * ```ts
 * const message: StandInPushMessage = { Event: 'user_authorization_revoke', OpenID: 'oUser', AppID: wechat.appId, RevokeInfo: '8' };
 * ```
 */
export interface StandInPushMessage {
  [name: string]: StandInPushValue;
}

/**
 * How to send a push.
 *
 * @example
 * ```ts
 * await wechat.sendPush(url, message, { appId: 'wx1111111111111111', mode: 'compatible', format: 'xml' });
 * ```
 */
export interface StandInPushOptions {
  /** The app whose `push` settings sign (and encrypt) it. Default the main app. */
  appId?: string;
  /** Default `'safe'` when the app has an `encodingAESKey`, else `'plaintext'`. */
  mode?: StandInPushMode;
  /** Default `'json'`. */
  format?: StandInPushFormat;
  /** How long to wait for the answer, in milliseconds, as WeChat waits 5 s. Default `5000`. */
  timeoutMs?: number;
}

/**
 * What the app answered to a push, and the push itself.
 *
 * @example
 * ```ts
 * const receipt = await wechat.sendPush(url, message);
 * expect(receipt.accepted).toBe(true);
 * const again = await receipt.retry(); // WeChat's retry: same message, new timestamp, nonce and signature
 * ```
 */
export interface StandInPushReceipt {
  /** HTTP status; `0` when no answer came in time or the connection failed. */
  status: number;
  /** The answer's body as text. */
  body: string;
  /** Whether WeChat would count it delivered: HTTP 200 with `success` or an empty body. */
  accepted: boolean;
  /** The request as sent (URL with its query, body, `Content-Type`), to replay it verbatim. */
  sent: { url: string; body: string; contentType: string };
  /** Send the same message again as WeChat retries it: a new timestamp, nonce, signature (and ciphertext). */
  retry(): Promise<StandInPushReceipt>;
}
