import { WechatApiError, type WechatErrorCode } from '../errors.js';

/** errcodes meaning the access_token used is stale: refetch and retry once. */
export const TOKEN_INVALID_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** errcodes meaning our appId, secret or server IP is rejected: the operator must act. */
const CONFIG_ERRCODES = new Set([40002, 40013, 40125, 40164, 40243, 41002, 41004, 48001, 61004]);

const CLIENT_FACING: Record<number, WechatErrorCode> = {
  40029: 'WECHAT_CODE_INVALID',
  40163: 'WECHAT_CODE_USED',
  40226: 'WECHAT_USER_BLOCKED',
  45011: 'WECHAT_RATE_LIMITED',
  45009: 'WECHAT_RATE_LIMITED',
  41008: 'WECHAT_BAD_REQUEST',
  61003: 'WECHAT_APP_UNAUTHORIZED',
  268490003: 'WECHAT_SIGNATURE_INVALID',
  268490009: 'WECHAT_SESSION_KEY_MISMATCH',
};

const MESSAGES: Partial<Record<WechatErrorCode, string>> = {
  WECHAT_CODE_INVALID: 'The code is invalid or expired (codes last 5 minutes): call wx.login again',
  WECHAT_CODE_USED: 'The code was already used: each code is single-use, call wx.login again',
  WECHAT_USER_BLOCKED: "WeChat blocked this user's login as high-risk",
  WECHAT_RATE_LIMITED: 'WeChat rate limit reached: retry after a minute',
  WECHAT_CONFIG_ERROR: "WeChat rejected this server's AppID, AppSecret or IP: check the configuration",
  WECHAT_UPSTREAM_ERROR: 'WeChat answered with an error',
  WECHAT_BAD_REQUEST: 'The code is missing',
  WECHAT_APP_UNAUTHORIZED: 'This mini-program has not authorized the platform, or revoked it',
  WECHAT_SIGNATURE_INVALID: 'WeChat refused a signature of this call (virtual payment: pay_sig or the user-state signature)',
  WECHAT_SESSION_KEY_MISMATCH: 'WeChat holds no live session_key for this user: log in again (wx.login)',
};

/** Messages where the phone-number code differs from the login code. */
const PHONE_MESSAGES: Partial<Record<WechatErrorCode, string>> = {
  WECHAT_CODE_INVALID: 'The phone code is invalid, expired (5 minutes), already used or from another mini-program: ask the user to tap the phone button again',
  WECHAT_CODE_USED: 'The phone code was already used: ask the user to tap the phone button again',
};

/**
 * Turn a WeChat `errcode` into the library's error. `api` names the call,
 * since one errcode can mean different things per API (40013 is our config
 * at login, but a code of another app at getuserphonenumber).
 */
export function errcodeToError(api: string, errcode: number, errmsg: string): WechatApiError {
  let code: WechatErrorCode;
  if (api === 'getuserphonenumber' && errcode === 40013) code = 'WECHAT_CODE_INVALID';
  else if (CLIENT_FACING[errcode]) code = CLIENT_FACING[errcode];
  else if (CONFIG_ERRCODES.has(errcode)) code = 'WECHAT_CONFIG_ERROR';
  else if (TOKEN_INVALID_ERRCODES.has(errcode) && (api === 'token' || api === 'stable_token')) code = 'WECHAT_CONFIG_ERROR';
  else code = 'WECHAT_UPSTREAM_ERROR';
  const text = (api === 'getuserphonenumber' ? PHONE_MESSAGES[code] : undefined) ?? MESSAGES[code] ?? 'WeChat answered with an error';
  const message = `${text} (${api} errcode ${errcode})`;
  const retryAfter = code === 'WECHAT_RATE_LIMITED' ? 60 : undefined;
  return new WechatApiError({ code, api, errcode, errmsg: sanitize(errmsg), message, retryAfter });
}

/**
 * errmsg as WeChat sent it, stripped of anything that looks like a credential
 * (a run of 24 or more base64 or hex characters), then cut to 200 characters.
 * In that order: a cut made first could leave the head of a secret too short
 * to be recognised.
 */
function sanitize(errmsg: string): string {
  return String(errmsg)
    .replace(/[A-Za-z0-9_\-+/=]{24,}/g, '…')
    .slice(0, 200);
}
