import { MiniProgramClientError } from './errors.js';
import type { WxLike, WxLoginOption, WxRequestOption, WxRequestResult } from './types.js';

/** `wx.login` as a promise of the login code. */
export function wxLogin(wx: WxLike, timeout: number | undefined): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const option: WxLoginOption = {
      success(result) {
        if (typeof result.code === 'string' && result.code !== '') resolve(result.code);
        else reject(new MiniProgramClientError('WECHAT_LOGIN_FAILED', 'wx.login gave no code'));
      },
      fail(error) {
        reject(new MiniProgramClientError('WECHAT_LOGIN_FAILED', 'wx.login failed', 0, error.errMsg));
      },
    };
    if (timeout !== undefined) option.timeout = timeout;
    wx.login(option);
  });
}

/** `wx.checkSession` as a promise: `true` while WeChat's session_key is alive. */
export function wxCheckSession(wx: WxLike): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    wx.checkSession({ success: () => resolve(true), fail: () => resolve(false) });
  });
}

/** What {@link wxRequest} sends; `success`/`fail` are filled in. */
export type RequestInit = Omit<WxRequestOption, 'success' | 'fail'>;

/** `wx.request` as a promise of the answer, whatever its status. */
export function wxRequest(wx: WxLike, init: RequestInit): Promise<WxRequestResult> {
  return new Promise<WxRequestResult>((resolve, reject) => {
    const option = init as WxRequestOption;
    option.success = (result) => resolve({ data: result.data, statusCode: result.statusCode, header: result.header });
    option.fail = (error) => reject(networkError(error.errMsg));
    wx.request(option);
  });
}

function networkError(errMsg: unknown): MiniProgramClientError {
  const text = typeof errMsg === 'string' ? errMsg : 'request:fail';
  return /timeout|timed out/i.test(text)
    ? new MiniProgramClientError('WECHAT_REQUEST_TIMEOUT', 'The request timed out', 0, text)
    : new MiniProgramClientError('WECHAT_NETWORK_ERROR', 'The request failed before any answer', 0, text);
}
