import type { AccessTokenMode } from './client/access-token.js';
import type { WechatClientOptions } from './client/client.js';
import { EVENT_NAMES, type WechatEventHandlers } from './events.js';
import type { WechatStore } from './store.js';

/**
 * Options shared by every middleware. Pass the same object to each of them:
 * they then share one client, one access-token cache and one set of
 * in-flight logins.
 */
export interface WechatSessionOptions extends WechatClientOptions {
  /** Where sessions live. Default: a bounded in-memory store (one process only). */
  store?: WechatStore;
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
  /** Largest request body the middleware reads itself, bytes. Default 16384. */
  bodyLimit?: number;
  /** Milliseconds a request body may take to arrive in full; past it the answer is 408 and the connection is closed. Default 10000. */
  bodyTimeout?: number;
  /**
   * Lifecycle callbacks for audit and metrics: `login`, `renew`, `logout`,
   * `revoke`, `sessionKeyMismatch`, `upstreamError`, `storeError`. A callback
   * that throws never breaks a request.
   */
  on?: WechatEventHandlers;
  /** Hand errors to `next(err)` instead of answering JSON. Default false. */
  passErrors?: boolean;
  /** Before a legacy decrypt failure is answered, ask WeChat whether the session_key is dead. Default false. */
  verifySessionKey?: boolean;
  /** Send the session's openid with a phone code, so WeChat refuses a code obtained by another user. Default false. */
  bindPhoneCode?: boolean;
}

export interface ResolvedOptions {
  appId: string;
  appSecret: string;
  ttl: number;
  renewAfter: number;
  bearer: boolean;
  tokenHeader: string | undefined;
  singleSession: boolean;
  maxSessionsPerUser: number;
  bodyLimit: number;
  bodyTimeout: number;
  on: WechatEventHandlers;
  passErrors: boolean;
  verifySessionKey: boolean;
  bindPhoneCode: boolean;
  accessToken: AccessTokenMode;
  storeTimeout: number;
  now: () => number;
}

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

function fail(name: string, want: string, got: unknown): never {
  throw new TypeError(`express-wechat-session: \`${name}\` must be ${want}; got ${show(got)}`);
}

function positive(options: Record<string, unknown>, name: string, fallback: number, unit: string, integer = true): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    fail(name, `a positive ${integer ? 'whole ' : ''}number of ${unit}`, value);
  }
  return value;
}

function flag(options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'true or false', value);
  return value;
}

function checkStore(store: unknown): void {
  if (store === undefined) return;
  const s = store as Record<string, unknown>;
  if (!s || typeof s.get !== 'function' || typeof s.set !== 'function' || typeof s.destroy !== 'function') {
    fail('store', 'a store with get, set and destroy methods (e.g. memoryStore())', store);
  }
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

/** Validate options once, at start-up; throws a `TypeError` that says what to fix. */
export function resolveOptions(input: WechatSessionOptions): ResolvedOptions {
  if (!input || typeof input !== 'object') fail('options', 'an object', input);
  const o = input as unknown as Record<string, unknown>;
  if (typeof o.appId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.appId)) {
    fail('appId', "your mini-program's AppID (e.g. 'wx4f4bc4dec97d474b'; set WECHAT_APP_ID)", o.appId);
  }
  if (typeof o.appSecret !== 'string' || o.appSecret.length === 0) {
    throw new TypeError('express-wechat-session: `appSecret` must be a non-empty string (set WECHAT_APP_SECRET)');
  }
  if (o.apiBaseUrl !== undefined && (typeof o.apiBaseUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(o.apiBaseUrl))) {
    fail('apiBaseUrl', 'an http(s) URL', o.apiBaseUrl);
  }
  checkStore(o.store);
  const ttl = positive(o, 'ttl', 259_200, 'seconds');
  const renewAfter = positive(o, 'renewAfter', Math.max(1, Math.min(3600, Math.floor(ttl / 10))), 'seconds');
  if (renewAfter >= ttl) fail('renewAfter', `fewer seconds than ttl (${ttl})`, renewAfter);
  const tokenHeader = o.tokenHeader === undefined ? 'x-wx-session' : o.tokenHeader;
  if (tokenHeader !== false && (typeof tokenHeader !== 'string' || !/^[A-Za-z0-9-]+$/.test(tokenHeader))) {
    fail('tokenHeader', 'a header name or false', tokenHeader);
  }
  const bearer = flag(o, 'bearer', true);
  if (!bearer && tokenHeader === false) fail('tokenHeader', 'a header name when `bearer` is false (the token must travel somehow)', tokenHeader);
  const accessToken = o.accessToken ?? 'stable';
  if (accessToken !== 'stable' && accessToken !== 'classic') fail('accessToken', "'stable' or 'classic'", accessToken);
  if (o.now !== undefined && typeof o.now !== 'function') fail('now', 'a function returning ms since the epoch', o.now);
  if (o.fetch !== undefined && typeof o.fetch !== 'function') fail('fetch', 'a fetch-compatible function', o.fetch);
  positive(o, 'timeout', 5000, 'milliseconds');
  positive(o, 'retryDelay', 200, 'milliseconds');
  if (o.retries !== undefined && (!Number.isInteger(o.retries) || (o.retries as number) < 0 || (o.retries as number) > 10)) {
    fail('retries', 'a whole number from 0 to 10', o.retries);
  }
  return {
    appId: o.appId,
    appSecret: o.appSecret,
    ttl,
    renewAfter,
    bearer,
    tokenHeader: tokenHeader === false ? undefined : (tokenHeader as string).toLowerCase(),
    singleSession: flag(o, 'singleSession', true),
    maxSessionsPerUser: positive(o, 'maxSessionsPerUser', 10, 'sessions'),
    bodyLimit: positive(o, 'bodyLimit', 16_384, 'bytes'),
    bodyTimeout: positive(o, 'bodyTimeout', 10_000, 'milliseconds'),
    on: checkHandlers(o.on),
    passErrors: flag(o, 'passErrors', false),
    verifySessionKey: flag(o, 'verifySessionKey', false),
    bindPhoneCode: flag(o, 'bindPhoneCode', false),
    accessToken,
    storeTimeout: positive(o, 'storeTimeout', 2000, 'milliseconds'),
    now: (o.now as () => number) ?? Date.now,
  };
}
