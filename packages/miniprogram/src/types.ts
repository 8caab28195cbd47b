/// <reference types="miniprogram-api-typings" preserve="true" />
/**
 * Types of the mini-program client. They are written against WeChat's own
 * `miniprogram-api-typings`, so the real `wx` object and the `detail` of a
 * `getPhoneNumber` button event fit them without casts.
 */

/**
 * The part of a `wx.request` answer the client reads.
 *
 * @example
 * ```js
 * option.success({ statusCode: 200, data: { token: 't', openid: 'o' }, header: {} });
 * ```
 */
export type WxRequestResult = Pick<WechatMiniprogram.RequestSuccessCallbackResult, 'data' | 'statusCode' | 'header'>;

/**
 * The options the client passes to `wx.request`.
 *
 * @example
 * ```js
 * const shim = { request(option) { fetch(option.url).then(async (r) => option.success({ statusCode: r.status, data: await r.json(), header: {} }), option.fail); } };
 * ```
 */
export interface WxRequestOption extends Pick<WechatMiniprogram.RequestOption, 'url' | 'method' | 'data' | 'header' | 'timeout' | 'dataType'> {
  success(result: WxRequestResult): void;
  fail(error: WechatMiniprogram.GeneralCallbackResult): void;
}

/**
 * The options the client passes to `wx.login`.
 *
 * @example
 * ```js
 * const shim = { login(option) { option.success({ code: standIn.issueLoginCode() }); } };
 * ```
 */
export interface WxLoginOption {
  timeout?: number;
  success(result: Pick<WechatMiniprogram.LoginSuccessCallbackResult, 'code'>): void;
  fail(error: WechatMiniprogram.GeneralCallbackResult): void;
}

/**
 * The options the client passes to `wx.checkSession`.
 *
 * @example
 * ```js
 * const shim = { checkSession(option) { option.success({ errMsg: 'checkSession:ok' }); } };
 * ```
 */
export interface WxCheckSessionOption {
  success(result: WechatMiniprogram.GeneralCallbackResult): void;
  fail(error: WechatMiniprogram.GeneralCallbackResult): void;
}

/**
 * The subset of the `wx` API the client uses. The global `wx` of a
 * mini-program fits it; in Node or a browser, pass an object of this shape.
 *
 * @example
 * ```ts
 * const client = createMiniProgramClient({ wx: myWxShim, baseUrl: 'http://127.0.0.1:3000' });
 * ```
 */
export interface WxLike {
  login(option: WxLoginOption): unknown;
  /** The mini-program's own account (its AppID is sent as `X-WX-AppId`); base library 2.2.2+. */
  getAccountInfoSync?(): { miniProgram?: { appId?: string } };
  /** WeCom's calls, inside WeCom. */
  qy?: { login(option: WxLoginOption): unknown; checkSession?(option: WxCheckSessionOption): unknown };
  checkSession(option: WxCheckSessionOption): unknown;
  request(option: WxRequestOption): unknown;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: StoredSession): void;
  removeStorageSync(key: string): void;
}

/**
 * What the client keeps in storage after a login.
 *
 * @example
 * ```js
 * const { openid } = await api.login();
 * ```
 */
export interface StoredSession {
  /** The session token sent on every request. */
  token: string;
  /** The user's openid, as the server returned it. */
  openid: string;
}

/**
 * The `detail` of a `bindgetphonenumber` (or `bindgetrealtimephonenumber`)
 * event: `code` in the current flow, `encryptedData` + `iv` in the legacy
 * one, `errMsg` always, and `errno` when WeChat refused before any code
 * (1400001: quota spent; 104, 112: privacy).
 *
 * @example
 * ```js
 * // <button open-type="getPhoneNumber" bindgetphonenumber="onPhone">
 * onPhone(e) { return api.getPhoneNumber(e.detail); }
 * ```
 */
export type PhoneNumberDetail = Pick<WechatMiniprogram.GeneralCallbackResult, 'errMsg'> &
  Partial<Pick<WechatMiniprogram.ButtonGetPhoneNumber['detail'], 'code' | 'encryptedData' | 'iv'>> & { errno?: number };

/**
 * The phone number as the server answers it.
 *
 * @example
 * ```js
 * const { purePhoneNumber, countryCode } = await api.getPhoneNumber(e.detail);
 * ```
 */
export interface PhoneNumber {
  /** With the country code for numbers outside mainland China, e.g. `+1 2025550123`. */
  phoneNumber: string;
  /** Without the country code. */
  purePhoneNumber: string;
  /** Always a string, e.g. `"86"`. */
  countryCode: string;
}

/**
 * Options of {@link createMiniProgramClient}; every path defaults to the server's.
 *
 * @example
 * ```js
 * createMiniProgramClient({ baseUrl: 'https://api.example.com', header: 'X-WX-Session', timeout: 10000 });
 * ```
 */
export interface MiniProgramClientOptions {
  /** Origin (and optional prefix) of the server, e.g. `https://api.example.com`. Required. */
  baseUrl: string;
  /** The `wx` object to use. Default: the global `wx` of the mini-program. */
  wx?: WxLike;
  /** Login route. Default `/wechat/login`. */
  loginPath?: string;
  /** Phone number route. Default `/wechat/phone`. */
  phonePath?: string;
  /** Logout route. Default `/wechat/logout`. */
  logoutPath?: string;
  /** Storage key of the session. Default `wxs_token`. */
  storageKey?: string;
  /**
   * Header that carries the token. Default `Authorization`, sent as
   * `Bearer <token>`; any other name (e.g. `X-WX-Session`) carries the bare token.
   */
  header?: string;
  /** Milliseconds before `wx.request` and `wx.login` give up. Default: WeChat's own (60 s). */
  timeout?: number;
  /**
   * A mini-program opened inside WeCom: log in with `wx.qy.login` at
   * `/wechat/wecom/login` (unless `loginPath` says otherwise). Default false.
   */
  wecom?: boolean;
}

/**
 * Options of {@link MiniProgramClient.request}: those of `wx.request` the client forwards.
 *
 * @example
 * ```js
 * const order = await api.request({ url: '/api/orders', method: 'POST', data: { sku: 'A1' }, header: { 'X-Request-Id': id } });
 * ```
 */
export interface MiniProgramRequestOptions extends Pick<WechatMiniprogram.RequestOption, 'method' | 'data' | 'timeout' | 'dataType'> {
  /** A path under `baseUrl` (`/api/me`), or a full URL that starts with `baseUrl`. */
  url: string;
  /** Extra headers; the token header is added to them. */
  header?: Record<string, string>;
  /** `false` sends the request without a token and never logs in. Default `true`. */
  auth?: boolean;
}

/**
 * Options of {@link MiniProgramClient.login}.
 *
 * @example
 * ```js
 * await api.login({ force: true }); // a new wx.login even if the stored session is alive
 * ```
 */
export interface LoginOptions {
  /** Skip the stored session and `wx.checkSession`: always `wx.login` anew. */
  force?: boolean;
}

/**
 * Options of {@link MiniProgramClient.getPhoneNumber}.
 *
 * @example
 * ```js
 * const phone = await api.getPhoneNumber(e.detail, { path: '/api/account/phone' });
 * ```
 */
export interface PhoneOptions {
  /** Phone number route for this call. Default: the client's `phonePath`. */
  path?: string;
}

/**
 * Options of {@link MiniProgramClient.logout}.
 *
 * @example
 * ```js
 * await api.logout({ path: '/api/account/logout' });
 * ```
 */
export interface LogoutOptions {
  /** Logout route for this call. Default: the client's `logoutPath`. */
  path?: string;
}

/**
 * The client returned by {@link createMiniProgramClient}. Its promises reject
 * with a `MiniProgramClientError` (`code`, `message`, `status`).
 *
 * @example
 * ```js
 * const me = await api.request({ url: '/api/me' });
 * const phone = await api.getPhoneNumber(e.detail);
 * await api.logout();
 * ```
 */
export interface MiniProgramClient {
  /** Log in, or reuse the stored session while `wx.checkSession` says it is alive. */
  login(options?: LoginOptions): Promise<StoredSession>;
  /** `wx.request` with the token; resolves with the response body of a 2xx answer. */
  request<T = unknown>(options: MiniProgramRequestOptions): Promise<T>;
  /** Send the `detail` of a `getPhoneNumber` button to the server. */
  getPhoneNumber(detail: PhoneNumberDetail, options?: PhoneOptions): Promise<PhoneNumber>;
  /** End the session on the server and clear it from storage. */
  logout(options?: LogoutOptions): Promise<void>;
  /** The stored session, or `null` when logged out. */
  getSession(): StoredSession | null;
}
