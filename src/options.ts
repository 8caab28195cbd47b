import type { Request } from 'express';
import type { AccessTokenMode } from './client/access-token.js';
import { EVENT_NAMES, type WechatEventHandlers } from './events.js';
import type { ApiSecurityKeys, ApiSecurityOptions } from './crypto/api-security-keys.js';
import type { WechatLogger } from './log.js';
import { apiSecurityOf, parseRiskRank, type RiskRankConfig, type RiskRankOptions } from './option-extras.js';
import { baseUrl, fail, flag, type Input, logger, optionalFunction, positive, refuseUnknown, wholeNumber } from './option-checks.js';
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

/**
 * Every default, in one place.
 *
 * @example
 * ```ts
 * DEFAULTS.ttl; // 259200 seconds (3 days)
 * ```
 */
export const DEFAULTS = {
  apiBaseUrl: 'https://api.weixin.qq.com',
  backupApiBaseUrl: 'https://api2.weixin.qq.com',
  wecomApiBaseUrl: 'https://qyapi.weixin.qq.com',
  timeout: 5000,
  retries: 2,
  retryDelay: 200,
  maxConcurrentCalls: 32,
  maxQueuedCalls: 256,
  accessToken: 'stable',
  storeTimeout: 2000,
  ttl: 259_200,
  tokenHeader: 'x-wx-session',
  bearer: true,
  singleSession: true,
  maxSessionsPerUser: 10,
  bodyLimit: 16_384,
  bodyTimeout: 10_000,
  passErrors: false,
  verifySessionKey: false,
  bindPhoneCode: true,
  resetSessionKeyOnLogout: false,
  checkEncryptedPhone: false,
} as const;

const OPTION_NAMES = [
  'appId', 'appSecret', 'apiBaseUrl', 'backupApiBaseUrl', 'timeout', 'retries', 'retryDelay', 'maxConcurrentCalls', 'maxQueuedCalls', 'accessToken', 'store', 'storeTimeout',
  'fetch', 'now', 'logger', 'ttl', 'renewAfter', 'bearer', 'tokenHeader', 'singleSession', 'maxSessionsPerUser',
  'bodyLimit', 'bodyTimeout', 'on', 'onLogin', 'passErrors', 'verifySessionKey', 'bindPhoneCode', 'resetSessionKeyOnLogout',
  'apiSecurity', 'checkEncryptedPhone', 'riskRank', 'apps', 'component', 'authorizerAccessToken', 'wecom',
] as const satisfies readonly (keyof WechatSessionOptions)[];

/**
 * How long a component_access_token from `component.accessToken()` is used before the provider is asked again, ms.
 *
 * @example
 * ```ts
 * COMPONENT_TOKEN_CACHE_MS; // 60000: component.accessToken() is asked at most once a minute
 * ```
 */
export const COMPONENT_TOKEN_CACHE_MS = 60_000;

/** One mini-program, checked. */
export interface AppConfig {
  appId: string;
  /** Absent in third-party-platform mode. */
  appSecret?: string;
  /** Set when the app's calls are signed and encrypted. */
  apiSecurity?: ApiSecurityKeys;
}

/** How the library talks to WeChat, whichever app it speaks for. */
export interface HttpConfig {
  baseUrl: string;
  backupBaseUrl: string | undefined;
  timeout: number;
  retries: number;
  retryDelay: number;
  maxConcurrentCalls: number;
  maxQueuedCalls: number;
  fetch: typeof fetch;
  accessToken: AccessTokenMode;
  storeTimeout: number;
  now: () => number;
  logger: WechatLogger | false | undefined;
}

/** What the WeChat client of one app needs. */
export type ClientConfig = HttpConfig & { appId: string; appSecret: string; apiSecurity?: ApiSecurityKeys };

/** What the session manager needs: no credentials. */
export interface SessionPolicy {
  ttl: number;
  renewAfter: number;
  singleSession: boolean;
  maxSessionsPerUser: number;
  now: () => number;
}

/** The options, checked, with every default filled in and grouped by the part that uses them. */
export interface Config {
  http: HttpConfig;
  apps: AppConfig[];
  component: WechatComponentOptions | undefined;
  authorizerAccessToken: ((appId: string) => Promise<string>) | undefined;
  wecom: Required<WechatWecomOptions> | undefined;
  session: SessionPolicy;
  transport: { bearer: boolean; tokenHeader: string | undefined };
  body: { limit: number; timeout: number };
  store: WechatStore | undefined;
  on: WechatEventHandlers;
  onLogin: LoginHook | undefined;
  passErrors: boolean;
  verifySessionKey: boolean;
  bindPhoneCode: boolean;
  resetSessionKeyOnLogout: boolean;
  checkEncryptedPhone: boolean;
  riskRank: RiskRankConfig | undefined;
}

function checkStore(store: unknown): WechatStore | undefined {
  if (store === undefined) return undefined;
  const s = store as Record<string, unknown>;
  if (!s || typeof s.get !== 'function' || typeof s.set !== 'function' || typeof s.destroy !== 'function') {
    fail('store', 'a store with get, set and destroy methods (e.g. memoryStore())', store);
  }
  return store as WechatStore;
}

function checkHandlers(on: unknown): WechatEventHandlers {
  if (on === undefined) return {};
  if (on === null || typeof on !== 'object' || Array.isArray(on)) fail('on', `an object of callbacks (${EVENT_NAMES.join(', ')})`, on);
  for (const [name, handler] of Object.entries(on)) {
    if (!(EVENT_NAMES as string[]).includes(name)) fail('on', `an object whose keys are among ${EVENT_NAMES.join(', ')}`, name);
    if (handler !== undefined && typeof handler !== 'function') fail(`on.${name}`, 'a function', handler);
  }
  return { ...(on as WechatEventHandlers) };
}

function httpConfig(o: Input): HttpConfig {
  const accessToken = o.accessToken ?? DEFAULTS.accessToken;
  if (accessToken !== 'stable' && accessToken !== 'classic') fail('accessToken', "'stable' or 'classic'", accessToken);
  const retries = o.retries ?? DEFAULTS.retries;
  if (!Number.isInteger(retries) || (retries as number) < 0 || (retries as number) > 10) fail('retries', 'a whole number from 0 to 10', retries);
  const primary = baseUrl(o, 'apiBaseUrl', DEFAULTS.apiBaseUrl);
  const backupDefault = primary === DEFAULTS.apiBaseUrl ? DEFAULTS.backupApiBaseUrl : undefined;
  return {
    baseUrl: primary,
    backupBaseUrl: o.backupApiBaseUrl === false ? undefined : o.backupApiBaseUrl === undefined ? backupDefault : baseUrl(o, 'backupApiBaseUrl', ''),
    timeout: positive(o, 'timeout', DEFAULTS.timeout, 'milliseconds'),
    retries: retries as number,
    retryDelay: positive(o, 'retryDelay', DEFAULTS.retryDelay, 'milliseconds'),
    maxConcurrentCalls: wholeNumber(o, 'maxConcurrentCalls', 1, 1024, DEFAULTS.maxConcurrentCalls),
    maxQueuedCalls: wholeNumber(o, 'maxQueuedCalls', 0, 100_000, DEFAULTS.maxQueuedCalls),
    fetch: optionalFunction<typeof fetch>(o, 'fetch', 'a fetch-compatible function') ?? globalThis.fetch,
    accessToken,
    storeTimeout: positive(o, 'storeTimeout', DEFAULTS.storeTimeout, 'milliseconds'),
    now: optionalFunction<() => number>(o, 'now', 'a function returning ms since the epoch') ?? Date.now,
    logger: logger<WechatLogger>(o),
  };
}

/** The one mini-program of the top-level `appId`/`appSecret`. */
function singleApp(o: Input): AppConfig {
  if (typeof o.appId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.appId)) {
    fail('appId', "your mini-program's AppID (e.g. 'wx4f4bc4dec97d474b'; set WECHAT_APP_ID)", o.appId);
  }
  if (typeof o.appSecret !== 'string' || o.appSecret.length === 0) {
    throw new TypeError('express-wechat-session: `appSecret` must be a non-empty string (set WECHAT_APP_SECRET)');
  }
  const apiSecurity = apiSecurityOf(o.apiSecurity, 'apiSecurity');
  return { appId: o.appId, appSecret: o.appSecret, ...(apiSecurity && { apiSecurity }) };
}
function tokenHeaderOf(o: Input, bearer: boolean): string | undefined {
  const header = o.tokenHeader === undefined ? DEFAULTS.tokenHeader : o.tokenHeader;
  if (header !== false && (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header))) fail('tokenHeader', 'a header name or false', header);
  if (!bearer && header === false) fail('tokenHeader', 'a header name when `bearer` is false (the token must travel somehow)', header);
  return header === false ? undefined : (header as string).toLowerCase();
}

/** The checked options of the WeChat client alone (one mini-program). */
export function parseClientOptions(input: WechatClientOptions): ClientConfig {
  if (!input || typeof input !== 'object') fail('options', 'an object', input);
  const o = input as unknown as Input;
  refuseUnknown(o, OPTION_NAMES);
  const app = singleApp(o);
  return { ...httpConfig(o), ...app, appSecret: app.appSecret! };
}

/** Check the options once, at start-up; throws a `TypeError` that says what to fix. */
export function parseOptions(input: WechatSessionOptions): Config {
  if (!input || typeof input !== 'object') fail('options', 'an object', input);
  const o = input as unknown as Input;
  refuseUnknown(o, OPTION_NAMES);
  const ttl = positive(o, 'ttl', DEFAULTS.ttl, 'seconds');
  const renewAfter = positive(o, 'renewAfter', Math.max(1, Math.min(3600, Math.floor(ttl / 10))), 'seconds');
  if (renewAfter >= ttl) fail('renewAfter', `fewer seconds than ttl (${ttl})`, renewAfter);
  const bearer = flag(o, 'bearer', DEFAULTS.bearer);
  const http = httpConfig(o);
  const platforms = parsePlatforms(o);
  return {
    http,
    ...platforms,
    session: {
      ttl,
      renewAfter,
      singleSession: flag(o, 'singleSession', DEFAULTS.singleSession),
      maxSessionsPerUser: positive(o, 'maxSessionsPerUser', DEFAULTS.maxSessionsPerUser, 'sessions'),
      now: http.now,
    },
    transport: { bearer, tokenHeader: tokenHeaderOf(o, bearer) },
    body: {
      limit: positive(o, 'bodyLimit', DEFAULTS.bodyLimit, 'bytes'),
      timeout: positive(o, 'bodyTimeout', DEFAULTS.bodyTimeout, 'milliseconds'),
    },
    store: checkStore(o.store),
    on: checkHandlers(o.on),
    onLogin: optionalFunction<LoginHook>(o, 'onLogin', 'an async function (session, req)'),
    passErrors: flag(o, 'passErrors', DEFAULTS.passErrors),
    verifySessionKey: flag(o, 'verifySessionKey', DEFAULTS.verifySessionKey),
    bindPhoneCode: flag(o, 'bindPhoneCode', DEFAULTS.bindPhoneCode),
    resetSessionKeyOnLogout: flag(o, 'resetSessionKeyOnLogout', DEFAULTS.resetSessionKeyOnLogout),
    checkEncryptedPhone: flag(o, 'checkEncryptedPhone', DEFAULTS.checkEncryptedPhone),
    riskRank: parseRiskRank(o),
  };
}

/** The apps, third-party platform and WeCom corp a server speaks for. */
function parsePlatforms(o: Input): Pick<Config, 'apps' | 'component' | 'authorizerAccessToken' | 'wecom'> {
  const component = parseComponent(o.component);
  const authorizerAccessToken = optionalFunction<(appId: string) => Promise<string>>(o, 'authorizerAccessToken', 'an async function (appId) returning the authorizer_access_token');
  if (authorizerAccessToken && !component) fail('authorizerAccessToken', 'given only with `component`', 'a function');
  const wecom = parseWecom(o.wecom);
  let apps: AppConfig[];
  if (o.apps !== undefined) {
    if (o.apiSecurity !== undefined) fail('apiSecurity', 'given inside each `apps` entry when `apps` lists the mini-programs', 'a top-level value');
    if (o.appId !== undefined || o.appSecret !== undefined) fail('appId', 'left out when `apps` lists the mini-programs', o.appId ?? 'an appSecret');
    apps = parseApps(o.apps, component !== undefined);
  } else if (component) {
    fail('apps', 'the authorized mini-programs this server accepts, with `component`', o.apps);
  } else if (wecom && o.appId === undefined && o.appSecret === undefined) {
    apps = [];
  } else {
    apps = [singleApp(o)];
  }
  return { apps, component, authorizerAccessToken, wecom };
}

const APP_ID_SHAPE = /^wx[A-Za-z0-9]{16}$/;

function parseApps(value: unknown, componentMode: boolean): AppConfig[] {
  if (!Array.isArray(value) || value.length === 0) fail('apps', 'a non-empty array of { appId, appSecret }', value);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const { appId, appSecret, apiSecurity: security, ...rest } = (entry ?? {}) as Record<string, unknown>;
    refuseUnknown(rest, []);
    const apiSecurity = apiSecurityOf(security, `apps[${i}].apiSecurity`);
    if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail(`apps[${i}].appId`, "an AppID of WeChat's shape (wx and 16 letters or digits)", appId);
    if (seen.has(appId)) fail(`apps[${i}].appId`, 'listed once', appId);
    seen.add(appId);
    if (componentMode) {
      if (appSecret !== undefined) fail(`apps[${i}].appSecret`, 'left out with `component` (the platform logs in for the app)', 'a secret');
      return { appId, ...(apiSecurity && { apiSecurity }) };
    }
    if (typeof appSecret !== 'string' || !appSecret) fail(`apps[${i}].appSecret`, 'the AppSecret of that mini-program', appSecret === undefined ? undefined : 'an empty or non-string value');
    return { appId, appSecret, ...(apiSecurity && { apiSecurity }) };
  });
}

function parseComponent(value: unknown): WechatComponentOptions | undefined {
  if (value === undefined) return undefined;
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== 'object') fail('component', 'an object { appId, accessToken }', value);
  const { appId, accessToken, ...rest } = c;
  refuseUnknown(rest, []);
  if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail('component.appId', "the platform's component AppID (wx and 16 letters or digits)", appId);
  if (typeof accessToken !== 'function') fail('component.accessToken', 'an async function returning the component_access_token', accessToken);
  return { appId, accessToken: accessToken as () => Promise<string> };
}

function parseWecom(value: unknown): Required<WechatWecomOptions> | undefined {
  if (value === undefined) return undefined;
  const w = value as Input | null;
  if (!w || typeof w !== 'object') fail('wecom', 'an object { corpId, corpSecret }', value);
  const { corpId, corpSecret, apiBaseUrl, ...rest } = w;
  refuseUnknown(rest, ['apiBaseUrl']);
  if (typeof corpId !== 'string' || !/^w[wx][A-Za-z0-9]{16}$/.test(corpId)) fail('wecom.corpId', "the corp's CorpID (ww and 16 letters or digits)", corpId);
  if (typeof corpSecret !== 'string' || !corpSecret) throw new TypeError('express-wechat-session: `wecom.corpSecret` must be a non-empty string');
  return { corpId, corpSecret, apiBaseUrl: baseUrl(w, 'apiBaseUrl', DEFAULTS.wecomApiBaseUrl) };
}
