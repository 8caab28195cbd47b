import type { WxRequestResult } from './types.js';

/**
 * Codes the server answers with (`{ error: { code, message } }`): the
 * server's own list (its `WechatErrorCode`), kept equal to it by a
 * type-level test.
 *
 * @example
 * ```js
 * api.request({ url: '/api/me' }).catch((err) => {
 *   if (err.code === 'WECHAT_STORE_UNAVAILABLE') wx.showToast({ title: 'Try again shortly', icon: 'none' });
 * });
 * ```
 */
export type ServerErrorCode =
  | 'WECHAT_BAD_REQUEST'
  | 'WECHAT_BODY_TOO_LARGE'
  | 'WECHAT_REQUEST_TIMEOUT'
  | 'WECHAT_CODE_INVALID'
  | 'WECHAT_CODE_USED'
  | 'WECHAT_USER_BLOCKED'
  | 'WECHAT_APP_UNKNOWN'
  | 'WECHAT_APP_UNAUTHORIZED'
  | 'WECHAT_RATE_LIMITED'
  | 'WECHAT_CONFIG_ERROR'
  | 'WECHAT_UPSTREAM_ERROR'
  | 'WECHAT_UPSTREAM_TIMEOUT'
  | 'WECHAT_UPSTREAM_BUSY'
  | 'WECHAT_SESSION_REQUIRED'
  | 'WECHAT_SESSION_INVALID'
  | 'WECHAT_SESSION_KEY_MISMATCH'
  | 'WECHAT_SIGNATURE_INVALID'
  | 'WECHAT_PUSH_REJECTED'
  | 'WECHAT_WATERMARK_MISMATCH'
  | 'WECHAT_PERMISSION_DENIED'
  | 'WECHAT_STORE_UNAVAILABLE'
  | 'WECHAT_NOT_FOUND'
  | 'WECHAT_METHOD_NOT_ALLOWED'
  | 'WECHAT_INTERNAL_ERROR';

/**
 * Codes raised by the client itself:
 * - `WECHAT_PHONE_RETRY`: the phone ciphertext was made with a session_key
 *   that is no longer the server's (or there was no session). The client has
 *   logged in again; ask the user to tap the phone button once more.
 * - `WECHAT_PERMISSION_DENIED`: the user refused (or WeChat did not allow)
 *   the phone number; nothing was sent. `errMsg` holds WeChat's reason.
 * - `WECHAT_LOGIN_FAILED`: `wx.login` failed or gave no code.
 * - `WECHAT_NETWORK_ERROR`: `wx.request` failed without an HTTP answer.
 * - `WECHAT_REQUEST_TIMEOUT`: `wx.request` timed out.
 * - `WECHAT_HTTP_ERROR`: a non-2xx answer without a `{ error: { code } }` body.
 * - `WECHAT_BAD_RESPONSE`: a 2xx login answer without a token.
 * - `WECHAT_BAD_REQUEST` (also a server code): a phone `detail` with neither
 *   `code` nor `encryptedData` + `iv`.
 * - `WECHAT_PHONE_QUOTA_EXHAUSTED`: the paid phone button's quota is spent
 *   (`errno 1400001`); nothing was sent. Fall back to another way of asking.
 * - `WECHAT_PRIVACY_NOT_AUTHORIZED`: the user has not agreed to the
 *   mini-program's privacy guideline (`errno 104`); nothing was sent.
 * - `WECHAT_PRIVACY_NOT_DECLARED`: the privacy guideline does not declare the
 *   phone number (`errno 112`); nothing was sent. Fix it in the admin console.
 *
 * @example
 * ```js
 * api.getPhoneNumber(e.detail).catch((err) => {
 *   if (err.code === 'WECHAT_PHONE_QUOTA_EXHAUSTED') showPhoneForm();
 * });
 * ```
 */
export type ClientErrorCode =
  | 'WECHAT_PHONE_RETRY'
  | 'WECHAT_PERMISSION_DENIED'
  | 'WECHAT_LOGIN_FAILED'
  | 'WECHAT_NETWORK_ERROR'
  | 'WECHAT_REQUEST_TIMEOUT'
  | 'WECHAT_HTTP_ERROR'
  | 'WECHAT_BAD_RESPONSE'
  | 'WECHAT_PHONE_QUOTA_EXHAUSTED'
  | 'WECHAT_PRIVACY_NOT_AUTHORIZED'
  | 'WECHAT_PRIVACY_NOT_DECLARED';

/**
 * Every code a client error can carry; an app's own server codes pass through too.
 *
 * @example
 * ```js
 * const code = err instanceof MiniProgramClientError ? err.code : 'UNKNOWN';
 * ```
 */
export type MiniProgramErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

/**
 * What every promise of the client rejects with (besides `TypeError` for a
 * wrong option). Branch on `code`; `status` is the HTTP status, or 0 when no
 * HTTP answer was involved.
 *
 * @example
 * ```js
 * try { await api.getPhoneNumber(e.detail); }
 * catch (err) {
 *   if (err.code === 'WECHAT_PHONE_RETRY') wx.showToast({ title: 'Please tap again', icon: 'none' });
 *   else if (err.code !== 'WECHAT_PERMISSION_DENIED') throw err;
 * }
 * ```
 */
export class MiniProgramClientError extends Error {
  readonly code: MiniProgramErrorCode;
  readonly status: number;
  /** WeChat's `errMsg`, when a `wx` call or event failed. */
  readonly errMsg?: string;

  constructor(code: MiniProgramErrorCode, message: string, status = 0, errMsg?: string) {
    super(message);
    this.name = 'MiniProgramClientError';
    this.code = code;
    this.status = status;
    if (errMsg !== undefined) this.errMsg = errMsg;
  }
}

/** True for a client error with one of the given codes. */
export function hasCode(error: unknown, codes: readonly string[]): error is MiniProgramClientError {
  return error instanceof MiniProgramClientError && codes.indexOf(error.code) !== -1;
}

/** The `{ error: { code, message } }` of a server answer, when it has one. */
export function serverError(result: WxRequestResult): { code: string; message: string } | null {
  const body = parseBody(result.data);
  const error = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (error === null || typeof error !== 'object') return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return null;
  return { code, message: typeof message === 'string' ? message : code };
}

/** The client error for a non-2xx answer. */
export function responseError(result: WxRequestResult): MiniProgramClientError {
  const error = serverError(result);
  if (error) return new MiniProgramClientError(error.code, error.message, result.statusCode);
  return new MiniProgramClientError('WECHAT_HTTP_ERROR', `Server answered HTTP ${result.statusCode}`, result.statusCode);
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
