import { createEmitter } from '../events.js';
import { describeError, libraryLogger } from '../log.js';
import { DEFAULTS } from '../option-defaults.js';
import { parseClientOptions, type WechatClientOptions } from '../options.js';
import { GuardedStore } from '../session/guarded-store.js';
import type { WechatPhone } from '../types.js';
import { checkSessionKey } from './check-session.js';
import type { Code2SessionResult } from './code2session.js';
import type { HttpSettings } from './http.js';
import { redeemPhoneCode, type PhoneCodeOptions } from './phone.js';
import { reported } from './reported.js';
import type { ApiSecurity } from './signed-call.js';
import { type BusinessCallParts, checkEncryptedData, getUserRiskRank, type RiskRank, type RiskRankQuery } from './business.js';
import { EncryptKeyCache, type UserEncryptKey } from './encrypt-key.js';
import { resetSessionKey } from './reset-session-key.js';
import type { TokenSource } from './token-source.js';

export type { WechatClientOptions };
import { appClientParts, ClientParts, httpSettings } from './client-parts.js';

export { appClientParts, ClientParts, httpSettings, type PlatformTokens } from './client-parts.js';

/**
 * WeChat's API origin, the default `apiBaseUrl`.
 *
 * @example
 * ```ts
 * const apiBaseUrl = process.env.WECHAT_API_BASE_URL ?? DEFAULT_API_BASE_URL;
 * ```
 */
export const DEFAULT_API_BASE_URL = DEFAULTS.apiBaseUrl;

/**
 * WeChat's server APIs for mini-programs, usable without Express. Errors
 * are `WechatError`s; those WeChat answered carry its `errcode`
 * (`WechatApiError`). The AppSecret, the access_token and everything that
 * holds them are kept in `#private` fields: they never show in
 * `JSON.stringify`, `util.inspect` (at any depth), a log line or an error.
 *
 * @example
 * ```ts
 * const wx = new WechatClient({ appId, appSecret, store: redisStore({ client }) });
 * const { openid } = await wx.code2Session(code);
 * const token = await wx.getAccessToken();
 * ```
 */
export class WechatClient {
  readonly appId: string;
  readonly #http: HttpSettings;
  readonly #tokens: TokenSource;
  readonly #login: (code: string) => Promise<Code2SessionResult>;
  readonly #security: ApiSecurity | undefined;
  readonly #encryptKeys: EncryptKeyCache;

  constructor(options: WechatClientOptions | ClientParts) {
    let parts: ClientParts;
    if (options instanceof ClientParts) parts = options;
    else {
      const config = parseClientOptions(options);
      const log = libraryLogger(config.logger);
      const emit = createEmitter({}, log);
      const store =
        options.store &&
        new GuardedStore(options.store, config.storeTimeout, (operation, timedOut, cause) =>
          emit('storeError', { operation, timedOut, cause: describeError(cause) }),
        );
      parts = appClientParts(config, config, store, httpSettings(config, config, log, emit));
    }
    this.appId = parts.appId;
    this.#http = parts.http;
    this.#tokens = parts.tokens;
    this.#login = parts.login;
    this.#security = parts.security;
    this.#encryptKeys = new EncryptKeyCache(parts.now);
  }

  /**
   * Exchange a `wx.login` code for `{ openid, sessionKey, unionid? }`
   * (`GET /sns/jscode2session`).
   *
   * @example
   * ```ts
   * const { openid, sessionKey } = await wx.code2Session(body.code);
   * ```
   */
  code2Session(code: string): Promise<Code2SessionResult> {
    return reported(this.#http, 'jscode2session', () => this.#login(code));
  }

  /**
   * Redeem a getPhoneNumber `code` (new flow) for
   * `{ phoneNumber, purePhoneNumber, countryCode }`, `countryCode` a string.
   * Pass `openid` to have WeChat check that the code is that user's.
   *
   * @example
   * ```ts
   * const phone = await wx.getPhoneNumber(body.code, { openid });
   * ```
   */
  getPhoneNumber(code: string, options: PhoneCodeOptions = {}): Promise<WechatPhone> {
    return reported(this.#http, 'getuserphonenumber', () => redeemPhoneCode(this.#business, code, options));
  }

  /**
   * A valid access_token for your own WeChat API calls: cached in the store
   * (shared by every process on it) until shortly before it expires.
   *
   * @example
   * ```ts
   * const accessToken = await wx.getAccessToken();
   * ```
   */
  getAccessToken(): Promise<string> {
    return reported(this.#http, 'access_token', () => this.#tokens.get());
  }

  /**
   * Run your own WeChat call with an access_token; when it rejects with a
   * `WechatError` whose `errcode` is 40001, 40014 or 42001 the token is
   * replaced and the call run once more.
   *
   * @example
   * ```ts
   * const body = await wx.withAccessToken(async (token) => {
   *   const json = await (await fetch(`https://api.weixin.qq.com/wxa/getwxacode?access_token=${token}`)).json();
   *   if (json.errcode) throw new WechatApiError({ api: 'getwxacode', errcode: json.errcode, errmsg: json.errmsg });
   *   return json;
   * });
   * ```
   */
  withAccessToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    return this.#tokens.withToken(call);
  }

  /**
   * Whether WeChat still holds `sessionKey` as the user's live key
   * (`GET /wxa/checksession`); `false` on 87009.
   *
   * @example
   * ```ts
   * if (!(await wx.checkSessionKey(openid, sessionKey))) askTheClientToLogInAgain();
   * ```
   */
  checkSessionKey(openid: string, sessionKey: string): Promise<boolean> {
    return reported(this.#http, 'checksession', () => checkSessionKey(this.#http, this.#tokens, openid, sessionKey));
  }

  /**
   * Have WeChat replace the user's session_key (`GET /wxa/resetusersessionkey`),
   * so a session_key that leaked stops decrypting anything new. One call per
   * use: WeChat limits it per AppID.
   *
   * @example
   * ```ts
   * await wx.resetSessionKey(session.openid, session.sessionKey);
   * ```
   */
  resetSessionKey(openid: string, sessionKey: string): Promise<void> {
    return reported(this.#http, 'resetusersessionkey', () => resetSessionKey(this.#http, this.#tokens, openid, sessionKey));
  }

  get #business(): BusinessCallParts {
    return { http: this.#http, tokens: this.#tokens, security: this.#security, appId: this.appId };
  }

  /**
   * Whether WeChat produced this phone-number `encryptedData` in the last 3
   * days (`POST /wxa/business/checkencryptedmsg`, hash of the base64 text).
   *
   * @example
   * ```ts
   * if (!(await wx.checkEncryptedData(body.encryptedData)).valid) refuse();
   * ```
   */
  checkEncryptedData(encryptedData: string): Promise<{ valid: boolean; createTime?: number }> {
    return reported(this.#http, 'checkencryptedmsg', () => checkEncryptedData(this.#business, encryptedData));
  }

  /**
   * The user's risk rank, 0 to 4 (`POST /wxa/getuserriskrank`); `unionId` is
   * WeChat's `unoin_id` (sic).
   *
   * @example
   * ```ts
   * const { riskRank } = await wx.getUserRiskRank({ openid, scene: 0, clientIp: req.ip });
   * ```
   */
  getUserRiskRank(query: RiskRankQuery): Promise<RiskRank> {
    return reported(this.#http, 'getuserriskrank', () => getUserRiskRank(this.#business, query));
  }

  /**
   * The user's last 3 keys of the encrypted network channel
   * (`wx.getUserCryptoManager()`), newest first, from
   * `POST /wxa/business/getuserencryptkey`; kept per user until the newest expires.
   *
   * @example
   * ```ts
   * const [newest] = await wx.getUserEncryptKey({ openid, sessionKey });
   * ```
   */
  getUserEncryptKey(session: { openid: string; sessionKey: string }): Promise<UserEncryptKey[]> {
    return reported(this.#http, 'getuserencryptkey', () => this.#encryptKeys.get(this.#business, session));
  }

  /** How many access tokens this process fetched from WeChat through this client. */
  get accessTokenFetches(): number {
    return this.#tokens.fetches;
  }
}

/**
 * Create a {@link WechatClient} for use outside Express (scripts, workers,
 * other frameworks). Options are checked as the middleware checks them:
 * a wrong one throws a `TypeError` that says what to fix.
 *
 * @example
 * ```ts
 * import { createWechatClient } from 'express-wechat-session';
 * import { redisStore } from 'express-wechat-session/adapters/redis';
 *
 * const wx = createWechatClient({ appId, appSecret, store: redisStore({ client }) });
 * const phone = await wx.getPhoneNumber(phoneCode);
 * ```
 */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  return new WechatClient(options);
}
