import { WechatError } from '../errors.js';
import { callWechat, type HttpSettings } from './http.js';

export interface Code2SessionResult {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

const SESSION_KEY_SHAPE = /^[A-Za-z0-9+/]{22}==$/;

/**
 * What an openid or unionid from WeChat may be: 1 to 64 of `A-Z a-z 0-9 _ -`.
 * Real ones are 28 such characters (`oVBkZ0aYgDMDIywRdgPW8-joxXc4`). Anything
 * else (CR/LF, NUL, `:` that could reach into the store's key space, a
 * 100 KB value) makes the answer unusable: 502, and nothing is stored.
 */
export const WECHAT_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

const unusable = (what: string): WechatError =>
  new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat jscode2session answered without a usable ${what}`);

/**
 * Exchange a `wx.login` code at `GET /sns/jscode2session`. Success is an
 * answer with `openid` and `session_key` (WeChat leaves out `errcode: 0`
 * these days, and may add `expires_in`), its openid and any unionid of
 * {@link WECHAT_ID_SHAPE}.
 */
export async function code2Session(
  http: HttpSettings,
  credentials: { appId: string; appSecret: string },
  code: string,
): Promise<Code2SessionResult> {
  const body = await callWechat(http, {
    api: 'jscode2session',
    method: 'GET',
    path: '/sns/jscode2session',
    query: { appid: credentials.appId, secret: credentials.appSecret, js_code: code, grant_type: 'authorization_code' },
  });
  const { openid, session_key: sessionKey, unionid } = body;
  if (typeof openid !== 'string' || !WECHAT_ID_SHAPE.test(openid)) throw unusable('openid');
  if (typeof sessionKey !== 'string' || !SESSION_KEY_SHAPE.test(sessionKey)) throw unusable('session_key');
  const result: Code2SessionResult = { openid, sessionKey };
  if (unionid === undefined || unionid === null || unionid === '') return result;
  if (typeof unionid !== 'string' || !WECHAT_ID_SHAPE.test(unionid)) throw unusable('unionid');
  result.unionid = unionid;
  return result;
}
