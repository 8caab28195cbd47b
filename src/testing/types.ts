/**
 * Public types of the local WeChat stand-in server.
 */

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
  | 'resetusersessionkey';

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
];

/**
 * Options of `startWechatStandIn`. Every field has a default.
 *
 * @example
 * ```ts
 * let now = Date.now();
 * const wechat = await startWechatStandIn({ now: () => now, codeTtlSeconds: 300 });
 * now += 301_000; // every login code issued so far has expired
 * ```
 */
export interface WechatStandInOptions {
  /** The AppID the stand-in accepts. Default `'wx0000000000standin'`. */
  appId?: string;
  /** The AppSecret the stand-in accepts. Default a fixed 32-hex string. */
  appSecret?: string;
  /**
   * Interface to listen on. Default `'127.0.0.1'`. Keep it on loopback: the
   * stand-in and its control API mint logins for any openid.
   */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default `0`. */
  port?: number;
  /** Clock in milliseconds, injectable to expire codes and tokens without sleeping. Default `Date.now`. */
  now?: () => number;
  /** Lifetime of login codes and phone codes, in seconds. Default `300`. */
  codeTtlSeconds?: number;
  /** Lifetime of access tokens (stable and classic), in seconds. Default `7200`. */
  accessTokenTtlSeconds?: number;
}

/**
 * A phone number: a bare number (mainland China, country code 86) or its parts.
 *
 * @example
 * ```ts
 * standIn.issuePhoneCode('oUser', { phoneNumber: '+1 2025550123', purePhoneNumber: '2025550123', countryCode: '1' });
 * ```
 */
export type PhoneInput =
  | string
  | { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string };

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
  /** Issue the code for another app: exchanging it here answers 40029. */
  appId?: string;
}

/**
 * How faulted calls answer:
 * - `'busy'`: `{"errcode":-1,"errmsg":"system error"}`;
 * - `'slow'`: the normal answer after `delayMs` (default 3000);
 * - `'hang'`: no answer until the stand-in closes;
 * - `'garbage'`: HTTP 200 with an HTML body;
 * - `'http500'`: HTTP 500;
 * - `'reset'`: the socket is destroyed;
 * - `{ errcode, errmsg? }`: that errcode with HTTP 200.
 *
 * @example
 * ```ts
 * standIn.fail({ errcode: 45011 }, { api: 'jscode2session', times: 1 }); // the next login is rate-limited
 * ```
 */
export type StandInFaultMode =
  | 'busy'
  | 'slow'
  | 'hang'
  | 'garbage'
  | 'http500'
  | 'reset'
  | { errcode: number; errmsg?: string };

/**
 * Which calls a fault applies to.
 *
 * @example
 * ```ts
 * standIn.fail('slow', { api: 'getuserphonenumber', delayMs: 6000 }); // past the client's timeout
 * ```
 */
export interface StandInFaultOptions {
  /** Default `'all'`. */
  api?: StandInApi | 'all';
  /** How many calls answer with the fault. Default: every call until `heal()`. */
  times?: number;
  /** Delay of `'slow'`, in milliseconds. Default `3000`. */
  delayMs?: number;
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
  /** `'http://127.0.0.1:PORT'`: pass it as `apiBaseUrl`. */
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  /** What `wx.login` does on the phone: a one-time code, and a new session_key for that user now. */
  issueLoginCode(user?: StandInUserInput): string;
  /** What `getPhoneNumber` gives the page in the new flow: a one-time phone code bound to `openid`. */
  issuePhoneCode(openid: string, phone?: PhoneInput, opts?: { appId?: string }): string;
  /** Legacy phone flow: the phone JSON encrypted with the user's current session_key. */
  encryptPhone(
    openid: string,
    phone?: PhoneInput,
    opts?: { watermarkAppId?: string },
  ): { encryptedData: string; iv: string };
  /** Legacy `getUserInfo` payload signed and encrypted with the user's current session_key. */
  encryptUserInfo(
    openid: string,
    info?: Partial<UserInfoInput>,
  ): { rawData: string; signature: string; encryptedData: string; iv: string };
  /** The user's current session_key (for assertions in tests only). */
  sessionKeyOf(openid: string): string | undefined;
  /** Make the next `times` calls of `api` answer with a fault. */
  fail(mode: StandInFaultMode, opts?: StandInFaultOptions): void;
  /** Remove every pending fault. */
  heal(): void;
  /** Requests received per API, failed ones included (a snapshot). */
  readonly calls: Record<StandInApi, number>;
  /** Set every count in {@link WechatStandIn.calls} to zero. */
  resetCalls(): void;
  /** Every access token issued so far (stable and classic) now answers 40001. */
  invalidateAccessTokens(): void;
  /** The next `times` (default 1) phone-number successes answer without `phone_info`. */
  omitPhoneInfo(times?: number): void;
  /** Close the server and every open socket, hanging ones included. */
  close(): Promise<void>;
}
