import type { WechatLogger } from '../log.js';
import { defaultLogger, silentLogger } from '../log.js';
import { GuardedStore } from '../session/guarded-store.js';
import type { WechatStore } from '../store.js';
import type { WechatPhone } from '../types.js';
import { AccessTokenManager, type AccessTokenMode } from './access-token.js';
import { checkSessionKey } from './check-session.js';
import { code2Session, type Code2SessionResult } from './code2session.js';
import type { HttpSettings } from './http.js';
import { redeemPhoneCode } from './phone.js';

export const DEFAULT_API_BASE_URL = 'https://api.weixin.qq.com';

/** Options of the WeChat API client; the middleware options include all of these. */
export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  /** Default `https://api.weixin.qq.com`; point it at a local stand-in in tests. */
  apiBaseUrl?: string;
  /** Per-attempt timeout of a WeChat call, ms. Default 5000. */
  timeout?: number;
  /** Extra attempts after "system busy" (-1), 5xx or a network failure. Default 2. */
  retries?: number;
  /** First backoff delay, ms (doubles per retry, with jitter). Default 200. */
  retryDelay?: number;
  /** `stable` (getStableAccessToken, default) or `classic` (cgi-bin/token). */
  accessToken?: AccessTokenMode;
  /** Shares the access_token across processes. */
  store?: WechatStore;
  /** Store call timeout, ms. Default 2000. */
  storeTimeout?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** A pino-style logger, or false for silence. */
  logger?: WechatLogger | false;
}

/** Internal wiring shared with the middleware. */
export interface ClientParts {
  http: HttpSettings;
  tokens: AccessTokenManager;
}

/**
 * WeChat's server APIs for mini-programs, usable without Express. Errors
 * are `WechatApiError`s carrying `errcode`.
 *
 * @example
 * ```ts
 * const wx = createWechatClient({ appId, appSecret, store: redisStore({ client }) });
 * const { openid } = await wx.code2Session(code);
 * const token = await wx.getAccessToken();
 * ```
 */
export class WechatClient {
  readonly appId: string;
  private readonly appSecret: string;
  private readonly http: HttpSettings;
  private readonly tokens: AccessTokenManager;

  constructor(options: WechatClientOptions, parts?: ClientParts) {
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    const now = options.now ?? Date.now;
    this.http = parts?.http ?? {
      baseUrl: (options.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, ''),
      timeout: options.timeout ?? 5000,
      retries: options.retries ?? 2,
      retryDelay: options.retryDelay ?? 200,
      fetch: options.fetch ?? globalThis.fetch,
      log: options.logger === false ? silentLogger() : (options.logger ?? defaultLogger()),
    };
    this.tokens =
      parts?.tokens ??
      new AccessTokenManager(this.http, {
        appId: options.appId,
        appSecret: options.appSecret,
        mode: options.accessToken ?? 'stable',
        store: options.store ? new GuardedStore(options.store, options.storeTimeout ?? 2000) : undefined,
        now,
      });
  }

  /** Exchange a `wx.login` code for `{ openid, sessionKey, unionid? }`. */
  code2Session(code: string): Promise<Code2SessionResult> {
    return code2Session(this.http, { appId: this.appId, appSecret: this.appSecret }, code);
  }

  /** Redeem a getPhoneNumber `code` (new flow). */
  getPhoneNumber(code: string, options: { openid?: string } = {}): Promise<WechatPhone> {
    return redeemPhoneCode(this.http, this.tokens, this.appId, code, options.openid);
  }

  /** A valid access_token, shared through the store across processes. */
  getAccessToken(): Promise<string> {
    return this.tokens.get();
  }

  /** Run your own WeChat call with an access_token; on 40001/40014/42001 it is refreshed and the call retried once. */
  withAccessToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    return this.tokens.withToken(call);
  }

  /** Whether WeChat still holds `sessionKey` as the user's live key (false on 87009). */
  checkSessionKey(openid: string, sessionKey: string): Promise<boolean> {
    return checkSessionKey(this.http, this.tokens, openid, sessionKey);
  }

  /** How many access tokens this client fetched from WeChat. */
  get accessTokenFetches(): number {
    return this.tokens.fetches;
  }
}

/** Create a {@link WechatClient}. */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  return new WechatClient(options);
}
