import { parseClientOptions } from '../options/parse.js';
import type { WechatClientOptions } from '../options/types.js';
import { createRuntime } from '../runtime.js';
import type { WechatPhone } from '../types.js';
import { type AppCalls, appCalls } from './app-calls.js';
import { checkEncryptedData, getUserRiskRank, type RiskRank, type RiskRankQuery } from './business.js';
import { checkSessionKey } from './check-session.js';
import type { Code2SessionResult } from './code2session.js';
import { EncryptKeyCache, type UserEncryptKey } from './encrypt-key.js';
import { wechatHttp } from './http.js';
import { type PhoneCodeOptions, redeemPhoneCode } from './phone.js';
import { reported } from './reported.js';
import { resetSessionKey } from './reset-session-key.js';
import { withToken } from './token-source.js';

/**
 * WeChat's server APIs for mini-programs, usable without Express. Errors
 * are `WechatError`s; those WeChat answered carry its `errcode`
 * (`WechatApiError`). The AppSecret, the access_token and everything that
 * holds them are kept in `#private` fields: they never show in
 * `JSON.stringify`, `util.inspect` (at any depth), a log line or an error.
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
  readonly #calls: AppCalls;
  readonly #encryptKeys: EncryptKeyCache;

  /** @internal Built by {@link createWechatClient}, or by `wechatSession` for each app it serves. */
  constructor(calls: AppCalls) {
    this.appId = calls.appId;
    this.#calls = calls;
    this.#encryptKeys = new EncryptKeyCache(calls.now);
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
    return reported(this.#calls.http, 'jscode2session', () => this.#calls.login(code));
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
    return reported(this.#calls.http, 'getuserphonenumber', () => redeemPhoneCode(this.#calls, code, options));
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
    return reported(this.#calls.http, 'access_token', () => this.#calls.tokens.get());
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
    return withToken(this.#calls.tokens, call);
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
    return reported(this.#calls.http, 'checksession', () => checkSessionKey(this.#calls, openid, sessionKey));
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
    return reported(this.#calls.http, 'resetusersessionkey', () => resetSessionKey(this.#calls, openid, sessionKey));
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
    return reported(this.#calls.http, 'checkencryptedmsg', () => checkEncryptedData(this.#calls, encryptedData));
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
    return reported(this.#calls.http, 'getuserriskrank', () => getUserRiskRank(this.#calls, query));
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
    return reported(this.#calls.http, 'getuserencryptkey', () => this.#encryptKeys.get(this.#calls, session));
  }

  /** How many access tokens this process fetched from WeChat through this client. */
  get accessTokenFetches(): number {
    return this.#calls.tokens.fetches;
  }
}

/**
 * Create a {@link WechatClient} for use outside Express (scripts, workers,
 * other frameworks). Options are checked as the middleware checks them:
 * a wrong one throws a `TypeError` that says what to fix.
 *
 * @example
 * ```ts
 * import { createWechatClient } from 'express-wechat-session/client';
 * import { redisStore } from 'express-wechat-session/adapters/redis';
 *
 * const wx = createWechatClient({ appId, appSecret, store: redisStore({ client }) });
 * const phone = await wx.getPhoneNumber(phoneCode);
 * ```
 */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const { app, ...config } = parseClientOptions(options);
  const runtime = createRuntime(config, config.store);
  return new WechatClient(appCalls(app, wechatHttp(config.http, runtime), config, runtime.store));
}
