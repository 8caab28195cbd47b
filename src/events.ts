import { isThenable } from './async.js';
import type { WechatErrorCode } from './errors.js';
import { errorFields, type WechatLogger } from './log.js';

/**
 * What each lifecycle event carries. Events never carry a token, a
 * session_key, a code, encrypted data or a phone number: they are safe to
 * log, count and forward to an audit trail as they are.
 *
 * @example
 * ```ts
 * const onLogin = (e: WechatEventMap['login']) => metrics.observe('login_ms', e.ms);
 * ```
 */
export interface WechatEventMap {
  /** A login created a session (once per session, however many requests shared its code). */
  login: { type: 'login'; openid: string; unionid?: string; ms: number };
  /** A session was used after `renewAfter` seconds and its expiry pushed back. */
  renew: { type: 'renew'; openid: string };
  /** `wechatLogout` ended a session. */
  logout: { type: 'logout'; openid: string };
  /**
   * Sessions ended without their token: `revokeWechatSessions` (`reason: 'revokeAll'`)
   * or a new login past `singleSession` / `maxSessionsPerUser` (`reason: 'newLogin'`).
   */
  revoke: { type: 'revoke'; openid: string; sessions: number; reason: 'revokeAll' | 'newLogin' };
  /** Encrypted data from the client does not decrypt with the session's session_key. */
  sessionKeyMismatch: { type: 'sessionKeyMismatch'; openid: string; flow: 'phone' | 'userInfo' };
  /** A request failed because WeChat failed, timed out, refused our credentials or rate-limited us. */
  upstreamError: { type: 'upstreamError'; code: WechatErrorCode; errcode?: number; api?: string; ms?: number };
  /** A store call failed or did not answer within `storeTimeout`; `cause` is the store's own error, e.g. `ReplyError: ERR syntax error`. */
  storeError: { type: 'storeError'; operation: string; timedOut: boolean; cause: string };
}

/**
 * The name of a lifecycle event, a key of `on`.
 *
 * @example
 * ```ts
 * const counted: WechatEventName[] = ['login', 'logout', 'revoke'];
 * ```
 */
export type WechatEventName = keyof WechatEventMap;

/**
 * Lifecycle callbacks (option `on`). Each gets one small event object. A
 * callback that throws or rejects never breaks the request: the failure is
 * logged (`event: 'hook.failed'`) and the request goes on.
 *
 * @example
 * ```ts
 * const wechat = {
 *   appId, appSecret,
 *   on: {
 *     login: (e) => logins.inc(),
 *     storeError: (e) => storeErrors.inc({ operation: e.operation }),
 *   },
 * };
 * ```
 */
export type WechatEventHandlers = {
  [K in WechatEventName]?: (event: WechatEventMap[K]) => void | Promise<void>;
};

/** Fields of an event, without its `type`. */
export type EventFields<K extends WechatEventName> = Omit<WechatEventMap[K], 'type'>;

/** Emit one event: log it, then hand it to the app's callback. Never throws. */
export type Emit = <K extends WechatEventName>(type: K, fields: EventFields<K>) => void;

type Level = 'debug' | 'info' | 'warn';

/** How each event is logged: level, `event` field and message. */
const LOGGED: { [K in WechatEventName]: [Level, string, string] } = {
  login: ['info', 'login', 'logged in'],
  renew: ['debug', 'session.renew', 'session renewed'],
  logout: ['info', 'logout', 'logged out'],
  revoke: ['info', 'session.revoke', 'sessions revoked'],
  sessionKeyMismatch: ['info', 'session_key.mismatch', 'encrypted data does not match the session_key'],
  upstreamError: ['warn', 'wechat.failed', 'WeChat call failed'],
  storeError: ['warn', 'store.failed', 'store call failed'],
};

export const EVENT_NAMES = Object.keys(LOGGED) as WechatEventName[];

function hookFailed(log: WechatLogger, type: WechatEventName, err: unknown): void {
  log.warn({ event: 'hook.failed', hook: type, ...errorFields(err) }, 'an `on` callback threw');
}

/**
 * Build the emitter for a set of callbacks (validated by the options).
 */
export function createEmitter(handlers: WechatEventHandlers | undefined, log: WechatLogger): Emit {
  return function emit<K extends WechatEventName>(type: K, fields: EventFields<K>): void {
    const [level, event, msg] = LOGGED[type];
    log[level]({ event, ...fields }, msg);
    const handler = handlers?.[type] as ((event: WechatEventMap[K]) => unknown) | undefined;
    if (!handler) return;
    try {
      const result = handler({ type, ...fields } as WechatEventMap[K]);
      if (isThenable(result)) result.then(undefined, (err: unknown) => hookFailed(log, type, err));
    } catch (err) {
      hookFailed(log, type, err);
    }
  };
}
