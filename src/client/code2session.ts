import { WechatError } from '../errors.js';
import { callWechat, type HttpSettings } from './http.js';

export interface Code2SessionResult {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

const SESSION_KEY_SHAPE = /^[A-Za-z0-9+/]{22}==$/;

/**
 * Exchange a `wx.login` code at `GET /sns/jscode2session`. Success is an
 * answer with `openid` and `session_key` (WeChat leaves out `errcode: 0`
 * these days, and may add `expires_in`).
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
  if (typeof openid !== 'string' || !openid || typeof sessionKey !== 'string' || !SESSION_KEY_SHAPE.test(sessionKey)) {
    throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat jscode2session answered without a usable openid and session_key');
  }
  const result: Code2SessionResult = { openid, sessionKey };
  if (typeof unionid === 'string' && unionid) result.unionid = unionid;
  return result;
}
