import type { AccessTokenMode } from './client/access-token.js';
import type { ApiSecurityKeys } from './crypto/api-security-keys.js';
import { EVENT_NAMES, type WechatEventHandlers } from './events.js';
import type { WechatLogger } from './log.js';
import { baseUrl, fail, flag, type Input, logger, optionalFunction, positive, refuseUnknown, wholeNumber } from './option-checks.js';
import { DEFAULTS, OPTION_NAMES } from './option-defaults.js';
import { parseRiskRank, type RiskRankConfig } from './option-extras.js';
import { parsePlatforms, singleApp } from './option-platforms.js';
import type { LoginHook, WechatClientOptions, WechatComponentOptions, WechatSessionOptions, WechatWecomOptions } from './option-types.js';
import type { WechatStore } from './store.js';

export type {
  LoginHook,
  LoginInfo,
  WechatAppOptions,
  WechatClientOptions,
  WechatComponentOptions,
  WechatSessionOptions,
  WechatWecomOptions,
} from './option-types.js';

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
  const platforms = parsePlatforms(o, DEFAULTS.wecomApiBaseUrl);
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
