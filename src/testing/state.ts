/**
 * Everything one stand-in remembers, shared by its routes.
 */
import { TokenBook } from './state-tokens.js';
import { UserBook } from './state-users.js';
import { STAND_IN_APIS, type StandInApi, type WechatStandInOptions } from './types.js';

/**
 * The AppID a stand-in accepts unless told otherwise.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn();
 * wechat.appId === DEFAULT_APP_ID; // true
 * ```
 */
export const DEFAULT_APP_ID = 'wx0000000000standin';
/**
 * The AppSecret a stand-in accepts unless told otherwise (a fake, fixed value).
 *
 * @example
 * ```ts
 * createApp({ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET, apiBaseUrl: wechat.url });
 * ```
 */
export const DEFAULT_APP_SECRET = '5ec7e75ec7e75ec7e75ec7e75ec7e7aa';

/** A parsed request as routes see it. */
export interface RouteRequest {
  query: URLSearchParams;
  body: string;
}

/** Counts of calls per API, all zero. */
export function zeroCalls(): Record<StandInApi, number> {
  const calls = {} as Record<StandInApi, number>;
  for (const api of STAND_IN_APIS) calls[api] = 0;
  return calls;
}

function positiveSeconds(value: number | undefined, fallback: number, name: string): number {
  const seconds = value ?? fallback;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`${name} must be a positive number of seconds; got ${String(value)}`);
  }
  return seconds;
}

function nonEmpty(value: string | undefined, fallback: string, name: string): string {
  const text = value ?? fallback;
  if (typeof text !== 'string' || text === '') throw new TypeError(`${name} must be a non-empty string`);
  return text;
}

/** State of one stand-in: app credentials, clock, users, codes, tokens, counters. */
export class StandInState {
  readonly appId: string;
  readonly appSecret: string;
  readonly now: () => number;
  readonly users: UserBook;
  readonly tokens: TokenBook;
  calls = zeroCalls();
  omitPhoneInfoLeft = 0;

  constructor(options: WechatStandInOptions = {}) {
    this.appId = nonEmpty(options.appId, DEFAULT_APP_ID, 'appId');
    this.appSecret = nonEmpty(options.appSecret, DEFAULT_APP_SECRET, 'appSecret');
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('now must be a function returning milliseconds');
    }
    const clock = options.now ?? Date.now;
    this.now = () => clock();
    const codeTtl = positiveSeconds(options.codeTtlSeconds, 300, 'codeTtlSeconds');
    const tokenTtl = positiveSeconds(options.accessTokenTtlSeconds, 7200, 'accessTokenTtlSeconds');
    this.users = new UserBook(this.appId, this.now, codeTtl * 1000);
    this.tokens = new TokenBook(this.now, tokenTtl * 1000);
  }

  /** Whether this phone-number success should leave out `phone_info` (uses one up). */
  takeOmitPhoneInfo(): boolean {
    if (this.omitPhoneInfoLeft <= 0) return false;
    this.omitPhoneInfoLeft -= 1;
    return true;
  }
}
