/** The options people write: every middleware of one backend shares them (see `wechatSession`). */
import type { Request } from 'express';
import type { AccessTokenMode } from './client/access-token.js';
import type { ApiSecurityOptions } from './crypto/api-security-keys.js';
import type { WechatEventHandlers } from './events.js';
import type { WechatLogger } from './log.js';
import type { RiskRankOptions } from './option-extras.js';
import type { WechatStore } from './store.js';
import type { WechatRequestSession } from './types.js';

/**
 * Called once per new session, after WeChat accepted the code and before the
 * login is answered: the place to insert or update the app's user and put
 * its own id on the session (`await session.save({ userId })`). Fields it
 * resolves are added to the login answer of `wechatRouter` (and kept in
 * `res.locals.wechatLogin` for `wechatLogin`). A rejection answers the
 * request through the usual error path; the session is then ended. The
 * third argument holds the user's risk rank when `riskRank` is set.
 *
 * @example
 * ```ts
 * const onLogin: LoginHook = async (session) => {
 *   const user = await users.upsert(session.openid);
 *   await session.save({ userId: user.id });
 *   return { isNew: user.isNew };
 * };
 * ```
 */
export type LoginHook = (
  session: WechatRequestSession,
  req: Request,
  info: LoginInfo,
) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

/**
 * What else the login learnt, for `onLogin`: the risk rank when `riskRank` is set and WeChat answered.
 *
 * @example
 * ```ts
 * const onLogin: LoginHook = async (session, req, { riskRank }) => {
 *   if (riskRank !== undefined && riskRank >= 2) await session.save({ reviewed: false });
 * };
 * ```
 */
export interface LoginInfo {
  /** `risk_rank` of `getuserriskrank`, 0 to 4. */
  riskRank?: number;
  /** Its `unoin_id` (sic), when WeChat sent one. */
  riskUnionId?: number;
}

/**
 * One mini-program of several (`apps`): its AppID, and its AppSecret outside third-party-platform mode.
 *
 * @example
 * ```ts
 * const apps: WechatAppOptions[] = [{ appId: 'wx1111111111111111', appSecret: process.env.SHOP_SECRET! }];
 * ```
 */
export interface WechatAppOptions {
  appId: string;
  appSecret?: string;
  /** This app's API security keys (API 安全), see {@link WechatClientOptions.apiSecurity}. */
  apiSecurity?: ApiSecurityOptions;
}

/**
 * A third-party platform (第三方平台) logging in the mini-programs that
 * authorized it: its component AppID and a provider of its
 * component_access_token (from the platform's own plumbing). The token is
 * cached for {@link COMPONENT_TOKEN_CACHE_MS} after each call.
 *
 * @example
 * ```ts
 * const component: WechatComponentOptions = { appId: 'wx9999999999999999', accessToken: () => platform.componentAccessToken() };
 * ```
 */
export interface WechatComponentOptions {
  appId: string;
  accessToken: () => Promise<string>;
}

/**
 * A WeCom (企业微信) corp whose members log in with `wx.qy.login` codes.
 *
 * @example
 * ```ts
 * const wecom: WechatWecomOptions = { corpId: process.env.WECOM_CORP_ID!, corpSecret: process.env.WECOM_APP_SECRET! };
 * ```
 */
export interface WechatWecomOptions {
  corpId: string;
  /** The secret of the WeCom app the mini-program is linked to. */
  corpSecret: string;
  /** Default `https://qyapi.weixin.qq.com`. */
  apiBaseUrl?: string;
}

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
