/** The options parser: checks every option once, at start-up, and fills in the defaults. */
import { EVENT_NAMES, type WechatEventHandlers } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { WechatStore } from '../store.js';
import { baseUrl, fail, flag, type Input, logger, nestedObject, optionalFunction, positive, refuseUnknown, wholeNumber } from './checks.js';
import type { AppConfig, ClientConfig, Config, RiskRankConfig } from './config.js';
import { DEFAULTS, OPTION_NAMES } from './defaults.js';
import type { LoginHook } from './login-types.js';
import { parsePlatforms, singleApp } from './platforms.js';
import type { WechatClientOptions, WechatSessionOptions } from './types.js';

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
  const handlers = nestedObject(on, 'on', `an object of callbacks (${EVENT_NAMES.join(', ')})`, EVENT_NAMES);
  for (const [name, handler] of Object.entries(handlers)) {
    if (handler !== undefined && typeof handler !== 'function') fail(`on.${name}`, 'a function', handler);
  }
  return { ...(handlers as WechatEventHandlers) };
}

function parseRiskRank(o: Input): RiskRankConfig | undefined {
  const value = o.riskRank;
  if (value === undefined || value === false) return undefined;
  const want = 'an object { scene: 0 | 1, refuseAt?: 0..4, failClosed?: boolean }';
  const { scene, refuseAt, failClosed } = nestedObject(value, 'riskRank', want, ['scene', 'refuseAt', 'failClosed']);
  if (scene !== 0 && scene !== 1) fail('riskRank.scene', '0 (registration) or 1 (marketing)', scene);
  if (refuseAt !== undefined && (typeof refuseAt !== 'number' || !Number.isInteger(refuseAt) || refuseAt < 0 || refuseAt > 4))
    fail('riskRank.refuseAt', 'a whole number from 0 to 4', refuseAt);
  if (failClosed !== undefined && typeof failClosed !== 'boolean') fail('riskRank.failClosed', 'true or false', failClosed);
  return { scene, refuseAt: refuseAt as number | undefined, failClosed: failClosed === true };
}

/** The options a context and a client on its own share: how to reach WeChat, the store, the clock, the logger. */
function clientConfig(o: Input): ClientConfig {
  const accessToken = o.accessToken ?? DEFAULTS.accessToken;
  if (accessToken !== 'stable' && accessToken !== 'classic') fail('accessToken', "'stable' or 'classic'", accessToken);
  const primary = baseUrl(o, 'apiBaseUrl', DEFAULTS.apiBaseUrl);
  const backupDefault = primary === DEFAULTS.apiBaseUrl ? DEFAULTS.backupApiBaseUrl : undefined;
  return {
    http: {
      baseUrl: primary,
      backupBaseUrl: o.backupApiBaseUrl === false ? undefined : o.backupApiBaseUrl === undefined ? backupDefault : baseUrl(o, 'backupApiBaseUrl', ''),
      timeout: positive(o, 'timeout', DEFAULTS.timeout, 'milliseconds'),
      retries: wholeNumber(o, 'retries', 0, 10, DEFAULTS.retries),
      retryDelay: positive(o, 'retryDelay', DEFAULTS.retryDelay, 'milliseconds'),
      maxConcurrentCalls: wholeNumber(o, 'maxConcurrentCalls', 1, 1024, DEFAULTS.maxConcurrentCalls),
      maxQueuedCalls: wholeNumber(o, 'maxQueuedCalls', 0, 100_000, DEFAULTS.maxQueuedCalls),
      fetch: optionalFunction<typeof fetch>(o, 'fetch', 'a fetch-compatible function') ?? globalThis.fetch,
    },
    accessToken,
    store: checkStore(o.store),
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

function topLevel(input: unknown): Input {
  if (!input || typeof input !== 'object') fail('options', 'an object', input);
  refuseUnknown(input as Input, OPTION_NAMES);
  return input as Input;
}

/** The checked options of the WeChat client alone (one mini-program). */
export function parseClientOptions(input: WechatClientOptions): ClientConfig & { app: AppConfig } {
  const o = topLevel(input);
  return { ...clientConfig(o), app: singleApp(o) };
}

/** Check the options once, at start-up; throws a `TypeError` that says what to fix. */
export function parseOptions(input: WechatSessionOptions): Config {
  const o = topLevel(input);
  const ttl = positive(o, 'ttl', DEFAULTS.ttl, 'seconds');
  const renewAfter = positive(o, 'renewAfter', Math.max(1, Math.min(3600, Math.floor(ttl / 10))), 'seconds');
  if (renewAfter >= ttl) fail('renewAfter', `fewer seconds than ttl (${ttl})`, renewAfter);
  const bearer = flag(o, 'bearer', DEFAULTS.bearer);
  const client = clientConfig(o);
  return {
    ...client,
    ...parsePlatforms(o, DEFAULTS.wecomApiBaseUrl),
    session: {
      ttl,
      renewAfter,
      singleSession: flag(o, 'singleSession', DEFAULTS.singleSession),
      maxSessionsPerUser: positive(o, 'maxSessionsPerUser', DEFAULTS.maxSessionsPerUser, 'sessions'),
      now: client.now,
    },
    transport: { bearer, tokenHeader: tokenHeaderOf(o, bearer) },
    body: {
      limit: positive(o, 'bodyLimit', DEFAULTS.bodyLimit, 'bytes'),
      timeout: positive(o, 'bodyTimeout', DEFAULTS.bodyTimeout, 'milliseconds'),
    },
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
