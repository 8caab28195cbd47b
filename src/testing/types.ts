/**
 * Public types of the local WeChat stand-in server.
 */
export type { StandInAppInput, StandInComponentInput, StandInVirtualPaymentInput, StandInWecomInput, WechatStandInOptions } from './types-options.js';
export type { StandInFaultMode, StandInFaultOptions } from './types-faults.js';
export type {
  StandInPushFormat,
  StandInPushInput,
  StandInPushMessage,
  StandInPushMode,
  StandInPushOptions,
  StandInPushReceipt,
  StandInPushValue,
} from './types-push.js';
import type { StandInFaultMode, StandInFaultOptions } from './types-faults.js';
import type { StandInPushMessage, StandInPushOptions, StandInPushReceipt } from './types-push.js';

/**
 * The WeChat APIs the stand-in answers, as named in {@link WechatStandIn.calls}.
 *
 * @example
 * ```ts
 * const api: StandInApi = 'jscode2session';
 * expect(standIn.calls[api]).toBe(1);
 * ```
 */
export type StandInApi =
  | 'jscode2session'
  | 'stable_token'
  | 'token'
  | 'getuserphonenumber'
  | 'checksession'
  | 'resetusersessionkey'
  | 'checkencryptedmsg'
  | 'getuserriskrank'
  | 'getuserencryptkey'
  | 'component/jscode2session'
  | 'gettoken'
  | 'wecom/jscode2session'
  | 'xpay/query_user_balance'
  | 'xpay/currency_pay'
  | 'xpay/cancel_currency_pay';

/**
 * Every {@link StandInApi}, in a fixed order.
 *
 * @example
 * ```ts
 * for (const api of STAND_IN_APIS) console.log(api, wechat.calls[api]);
 * ```
 */
export const STAND_IN_APIS: readonly StandInApi[] = [
  'jscode2session',
  'stable_token',
  'token',
  'getuserphonenumber',
  'checksession',
  'resetusersessionkey',
  'checkencryptedmsg',
  'getuserriskrank',
  'getuserencryptkey',
  'component/jscode2session',
  'gettoken',
  'wecom/jscode2session',
  'xpay/query_user_balance',
  'xpay/currency_pay',
  'xpay/cancel_currency_pay',
];

/**
 * A phone number: a bare number (mainland China, country code 86) or its parts.
 *
 * @example
 * ```ts
 * wechat.issuePhoneCode(openid, '13800138000');
 * wechat.issuePhoneCode(openid, { phoneNumber: '+1 2025550123', purePhoneNumber: '2025550123', countryCode: '1' });
 * ```
 */
export type PhoneInput = string | { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string };

/**
 * The phone record as WeChat describes it (countryCode as a string, as in decrypted payloads).
 *
 * @example
 * ```ts
 * const expected: PhoneRecord = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' };
 * ```
 */
export interface PhoneRecord {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

/**
 * Profile fields of the legacy `wx.getUserInfo` payload.
 *
 * @example
 * ```ts
 * const payload = standIn.encryptUserInfo('oUser', { nickName: 'Alice', city: 'Shenzhen' });
 * ```
 */
export interface UserInfoInput {
  nickName: string;
  gender: number;
  language: string;
  city: string;
  province: string;
  country: string;
  avatarUrl: string;
}

/**
 * A user as known to {@link WechatStandIn.issueLoginCode}.
 *
 * @example
 * ```ts
 * const code = standIn.issueLoginCode({ openid: 'oUser', unionid: 'uUser', blocked: false });
 * ```
 */
export interface StandInUserInput {
  /** Default a random `'o'` + 27 base64url characters. */
  openid?: string;
  /** The user's unionid; `null` or absent means none. Kept from earlier logins when not given. */
  unionid?: string | null;
  /** A high-risk user: exchanging the code answers 40226. */
  blocked?: boolean;
  /**
   * The app the code belongs to: the main app (default), one of `apps`, or an
   * authorized or unauthorized app of `component`. Any other appid gives a
   * code no app accepts (40029). The user, their unionid and session_key are
   * that app's own (an openid is per app).
   */
  appId?: string;
}

/**
 * A member known to {@link WechatStandIn.issueWecomCode}.
 *
 * @example
 * ```ts
 * const code = wechat.issueWecomCode({ userId: 'zhangsan' });
 * ```
 */
export interface StandInWecomUserInput {
  /** The WeCom userid. Default a random `'user'` + 12 hex characters. */
  userId?: string;
  /** The corp the code belongs to. Default the stand-in's `wecom.corpId`; another corpid gives a code no corp accepts. */
  corpId?: string;
}

/**
 * A running stand-in; see `startWechatStandIn`.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn();
 * const code = wechat.issueLoginCode({ openid: 'oUser' });     // what wx.login returns
 * const phoneCode = wechat.issuePhoneCode('oUser', '13800138000');
 * wechat.fail('busy', { api: 'jscode2session', times: 1 });     // the next exchange answers -1
 * expect(wechat.calls.jscode2session).toBe(0);
 * await wechat.close();
 * ```
 */
export interface WechatStandIn {
  /** `'http://127.0.0.1:PORT'`: pass it as `apiBaseUrl` (and as WeCom's base URL). */
  readonly url: string;
  /** The main app. */
  readonly appId: string;
  readonly appSecret: string;
  /** The third-party platform's component AppID, when one is served. */
  readonly componentAppId: string | undefined;
  /** The WeCom corp, when one is served. */
  readonly corpId: string | undefined;
  readonly corpSecret: string | undefined;
  /** What `wx.login` does on the phone: a one-time code of an app, and a new session_key for that user there. */
  issueLoginCode(user?: StandInUserInput): string;
  /** What `wx.qy.login` does inside WeCom: a one-time code, and a new session_key for that member. */
  issueWecomCode(user?: StandInWecomUserInput): string;
  /** The valid component_access_token (a new one once it expired or was invalidated). Throws without `component`. */
  readonly componentAccessToken: string;
  /** The valid authorizer_access_token of an authorized app (a new one once it expired or was invalidated). */
  authorizerAccessToken(appId: string): string;
  /** What `getPhoneNumber` gives the page in the new flow: a one-time phone code bound to `openid` of an app. */
  issuePhoneCode(openid: string, phone?: PhoneInput, opts?: { appId?: string }): string;
  /**
   * Legacy phone flow: the phone JSON encrypted with the user's current
   * session_key in an app (default the main one). `checkencryptedmsg` knows
   * it for 3 days (by the SHA-256 of its base64 text).
   */
  encryptPhone(openid: string, phone?: PhoneInput, opts?: { appId?: string; watermarkAppId?: string }): { encryptedData: string; iv: string };
  /** Legacy `getUserInfo` payload signed and encrypted with the user's current session_key. */
  encryptUserInfo(
    openid: string,
    info?: Partial<UserInfoInput>,
    opts?: { appId?: string },
  ): { rawData: string; signature: string; encryptedData: string; iv: string };
  /** The user's current session_key in an app, default the main one (for assertions in tests only). */
  sessionKeyOf(openid: string, appId?: string): string | undefined;
  /** A WeCom member's current session_key (for assertions in tests only). */
  wecomSessionKeyOf(userId: string, corpId?: string): string | undefined;
  /** Make the next `times` calls of `api` answer with a fault. */
  fail(mode: StandInFaultMode, opts?: StandInFaultOptions): void;
  /** Remove every pending fault. */
  heal(): void;
  /** Requests received per API, failed ones included (a snapshot). */
  readonly calls: Record<StandInApi, number>;
  /**
   * The same per app or corp (a snapshot), keyed by every served appid
   * (main, `apps`, the platform's authorized and unauthorized ones) and the
   * corpid. A call counts for the app it names (`appid`, `corpid`) or whose
   * token it carries; a component login counts for its authorizer `appid`.
   * Calls naming no served app count only in `calls`.
   */
  readonly callsByApp: Record<string, Record<StandInApi, number>>;
  /** Set every count in {@link WechatStandIn.calls} and {@link WechatStandIn.callsByApp} to zero. */
  resetCalls(): void;
  /** Every access token issued so far, of every kind, now answers as invalid (40001; 40014 on WeCom's routes). */
  invalidateAccessTokens(): void;
  /** The `risk_rank` (0 to 4) `getuserriskrank` answers for a user of an app (default the main one); 0 until set. */
  setRiskRank(openid: string, rank: number, opts?: { appId?: string; unionId?: number }): void;
  /** The next `times` (default 1) phone-number successes answer without `phone_info`. */
  omitPhoneInfo(times?: number): void;
  /** Send a push to the app's message-push URL as WeChat does, signed (and encrypted) with the app's `push` settings. */
  sendPush(url: string, message: StandInPushMessage, options?: StandInPushOptions): Promise<StandInPushReceipt>;
  /** Set a user's token balance for the `xpay` APIs, per env (default 0). */
  setTokenBalance(openid: string, balance: number, opts?: { appId?: string; env?: 0 | 1 }): void;
  /** The user's session_key expires at WeChat: signatures with it fail, and `xpay` answers 268490009 until the next login. */
  expireSessionKey(openid: string, opts?: { appId?: string }): void;
  /** Close the server and every open socket, hanging ones included. */
  close(): Promise<void>;
}
