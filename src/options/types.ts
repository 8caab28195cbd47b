/** The options people write: every middleware of one backend shares them (see `wechatSession`). */
import type { WechatEventHandlers } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { WechatStore } from '../store.js';
import type { LoginHook, RiskRankOptions } from './login-types.js';
import type { ApiSecurityOptions, WechatAppOptions, WechatComponentOptions, WechatWecomOptions } from './platform-types.js';

/**
 * `stable`: `POST /cgi-bin/stable_token` (default). `classic`: `GET /cgi-bin/token`.
 *
 * @example
 * ```ts
 * const wechat = wechatSession({ appId, appSecret, accessToken: 'classic' }); // only if nothing else fetches tokens for the app
 * ```
 */
export type AccessTokenMode = 'stable' | 'classic';

/**
 * Options of the WeChat API client (also accepted by `wechatSession`).
 *
 * @example
 * ```ts
 * const client = createWechatClient({ appId, appSecret, timeout: 3000, retries: 1 });
 * ```
 */
export interface WechatClientOptions {
  /** The mini-program's AppID (one mini-program; for several, `apps`). */
  appId: string;
  appSecret: string;
  /**
   * API security (API 安全): the calls that support it (getuserphonenumber,
   * checkencryptedmsg, getuserriskrank, getuserencryptkey) are encrypted and
   * signed, and each answer is verified with the platform key and decrypted;
   * an answer that does not verify is 502 `WECHAT_UPSTREAM_ERROR`. No extra
   * WeChat call. Default off.
   */
  apiSecurity?: ApiSecurityOptions;
  /** Default `https://api.weixin.qq.com`; https only, but for a loopback stand-in in tests. */
  apiBaseUrl?: string;
  /**
   * Where a WeChat call goes once more when it could not reach `apiBaseUrl`
   * at all (refused, DNS, TLS; never after it may have reached WeChat).
   * Default `https://api2.weixin.qq.com` with the default `apiBaseUrl`, none
   * with another; `false` turns failover off.
   */
  backupApiBaseUrl?: string | false;
  /** Per-attempt timeout of a WeChat call, ms. Default 5000. */
  timeout?: number;
  /** Extra attempts after "system busy" (-1), 5xx or a network failure. Default 2. */
  retries?: number;
  /** First backoff delay, ms (doubles per retry, with jitter). Default 200. */
  retryDelay?: number;
  /**
   * WeChat calls one app's client runs at once (each holds one socket).
   * Default 32, at most 1024. Calls past it wait in a queue, first in, first out.
   */
  maxConcurrentCalls?: number;
  /**
   * Calls that may wait for a place; past it, or after waiting `timeout` ms,
   * a call fails at once with 503 `WECHAT_UPSTREAM_BUSY` (`Retry-After: 1`).
   * Default 256.
   */
  maxQueuedCalls?: number;
  /** `stable` (getStableAccessToken, default) or `classic` (cgi-bin/token). */
  accessToken?: AccessTokenMode;
  /** Where sessions and the shared access_token live. Default: a bounded in-memory store (one process only). */
  store?: WechatStore;
  /** Store call timeout, ms. Default 2000. */
  storeTimeout?: number;
  fetch?: typeof fetch;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** A pino-style logger, or false for silence. Default: warnings and errors as JSON lines on stderr. */
  logger?: WechatLogger | false;
}

/**
 * Options of {@link wechatSession}: every middleware of one backend shares them.
 *
 * @example
 * ```ts
 * const options: WechatSessionOptions = { appId, appSecret, store: redisStore({ client }), ttl: 7 * 86400 };
 * const wechat = wechatSession(options);
 * ```
 */
export interface WechatSessionOptions extends Omit<WechatClientOptions, 'appId' | 'appSecret'> {
  /** One mini-program's AppID (for several, `apps`). */
  appId?: string;
  appSecret?: string;
  /** Several mini-programs on one server; a request names its app by `X-WX-AppId` or WeChat's Referer. */
  apps?: WechatAppOptions[];
  /** Third-party-platform mode: `apps` are the authorizers this server accepts, and hold no secrets. */
  component?: WechatComponentOptions;
  /** In third-party-platform mode, the authorizer_access_token of an app, for phone codes and other calls on its behalf. */
  authorizerAccessToken?: (appId: string) => Promise<string>;
  /** WeCom mini-program login (`wecomLogin`), alone or beside a mini-program. */
  wecom?: WechatWecomOptions;
  /** Seconds of inactivity after which a session lapses. Default 259200 (3 days). */
  ttl?: number;
  /** A used session is renewed at most once per this many seconds. Default: a tenth of `ttl`, at most 1 hour. */
  renewAfter?: number;
  /** Accept `Authorization: Bearer <token>`. Default true. */
  bearer?: boolean;
  /** Header carrying the bare token, or false for none. Default `x-wx-session`. */
  tokenHeader?: string | false;
  /** A new login ends the openid's earlier sessions. Default true. */
  singleSession?: boolean;
  /** Sessions one openid may hold when `singleSession` is false; the oldest is ended past it. Default 10. */
  maxSessionsPerUser?: number;
  /** Largest request body the middleware read themselves, bytes. Default 16384. */
  bodyLimit?: number;
  /** Milliseconds a body the middleware read may take to arrive in full; past it 408 and the connection is closed. Default 10000. */
  bodyTimeout?: number;
  /** Lifecycle callbacks for audit and metrics (see `WechatEventMap`). A callback that throws never breaks a request. */
  on?: WechatEventHandlers;
  /** The app's step at login, see {@link LoginHook}. */
  onLogin?: LoginHook;
  /** Hand errors to `next(err)` instead of answering JSON. Default false. */
  passErrors?: boolean;
  /** Before a legacy decrypt failure is answered, ask WeChat whether the session_key is dead. Default false. */
  verifySessionKey?: boolean;
  /** Send the session's openid with a phone code, so WeChat refuses a code obtained by another user. Default true. */
  bindPhoneCode?: boolean;
  /**
   * `wechatLogout` and `revokeWechatSessions` also have WeChat reset the
   * user's session_key (one `resetusersessionkey` call each), so a key that
   * leaked from the store stops decrypting anything new. A failed reset never
   * fails the logout. Default false.
   */
  resetSessionKeyOnLogout?: boolean;
  /**
   * In the legacy phone flow, confirm with WeChat (`checkencryptedmsg`, one
   * call per phone number read) that it produced the encryptedData; 400
   * `WECHAT_BAD_REQUEST` when it did not. Default false.
   */
  checkEncryptedPhone?: boolean;
  /** Ask WeChat the user's risk rank at each login (`getuserriskrank`); see {@link RiskRankOptions}. Default off. */
  riskRank?: RiskRankOptions | false;
}
