import { MiniProgramClientError } from './errors.js';
import type { WxLike, WxLoginOption, WxRequestOption, WxRequestResult } from './types.js';

/** `wx.login` (or, inside WeCom, `wx.qy.login`) as a promise of the login code. */
export function wxLogin(wx: WxLike, timeout: number | undefined, wecom = false): Promise<string> {
  const name = wecom ? 'wx.qy.login' : 'wx.login';
  return new Promise<string>((resolve, reject) => {
    const option: WxLoginOption = {
      success(result) {
        if (typeof result.code === 'string' && result.code !== '') resolve(result.code);
        else reject(new MiniProgramClientError('WECHAT_LOGIN_FAILED', name + ' gave no code'));
      },
      fail(error) {
        reject(new MiniProgramClientError('WECHAT_LOGIN_FAILED', name + ' failed', 0, error.errMsg));
      },
    };
    if (timeout !== undefined) option.timeout = timeout;
    if (wecom) wx.qy!.login(option);
    else wx.login(option);
  });
}

/** `wx.checkSession` (inside WeCom, `wx.qy.checkSession`) as a promise: `true` while the session_key is alive. */
export function wxCheckSession(wx: WxLike, wecom = false): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const option = { success: () => resolve(true), fail: () => resolve(false) };
    if (wecom && wx.qy && typeof wx.qy.checkSession === 'function') wx.qy.checkSession(option);
    else wx.checkSession(option);
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
