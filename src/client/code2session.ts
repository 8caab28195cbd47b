import { WechatError } from '../errors.js';
import { callWechat, type WechatHttp, type WechatJson } from './http.js';
import { type TokenSource, withToken } from './token-source.js';

/**
 * What WeChat's `jscode2session` answers for a login code: the user's identity
 * in the mini-program and the session_key (server-side only).
 *
 * @example
 * ```ts
 * const { openid, unionid, sessionKey }: Code2SessionResult = await createWechatClient({ appId, appSecret }).code2Session(code);
 * ```
 */
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
const WECHAT_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

const unusable = (api: string, what: string): WechatError => new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${api} answered without a usable ${what}`);

/** The identity in a jscode2session answer, its openid and any unionid of {@link WECHAT_ID_SHAPE}. */
function identityOf(api: string, body: WechatJson): Code2SessionResult {
  const { openid, session_key: sessionKey, unionid } = body;
  if (typeof openid !== 'string' || !WECHAT_ID_SHAPE.test(openid)) throw unusable(api, 'openid');
  if (typeof sessionKey !== 'string' || !SESSION_KEY_SHAPE.test(sessionKey)) throw unusable(api, 'session_key');
  const result: Code2SessionResult = { openid, sessionKey };
  if (unionid === undefined || unionid === null || unionid === '') return result;
  if (typeof unionid !== 'string' || !WECHAT_ID_SHAPE.test(unionid)) throw unusable(api, 'unionid');
  result.unionid = unionid;
  return result;
}

/**
 * Exchange a `wx.login` code at `GET /sns/jscode2session`. Success is an
 * answer with `openid` and `session_key` (WeChat leaves out `errcode: 0`
 * these days, and may add `expires_in`), its openid and any unionid of
 * {@link WECHAT_ID_SHAPE}.
 */
export async function code2Session(http: WechatHttp, credentials: { appId: string; appSecret: string }, code: string): Promise<Code2SessionResult> {
  const body = await callWechat(http, {
    api: 'jscode2session',
    method: 'GET',
    path: '/sns/jscode2session',
    query: { appid: credentials.appId, secret: credentials.appSecret, js_code: code, grant_type: 'authorization_code' },
  });
  return identityOf('jscode2session', body);
}

/**
 * Exchange a code of a mini-program that authorized a third-party platform
 * at `GET /sns/component/jscode2session`, with the platform's
 * component_access_token. errcode 61003 (not authorized, or revoked) is 403
 * `WECHAT_APP_UNAUTHORIZED`.
 */
export async function componentCode2Session(
  http: WechatHttp,
  app: { appId: string; componentAppId: string; componentToken: TokenSource },
  code: string,
): Promise<Code2SessionResult> {
  const body = await withToken(app.componentToken, (token) =>
    callWechat(http, {
      api: 'component/jscode2session',
      method: 'GET',
      path: '/sns/component/jscode2session',
      query: { appid: app.appId, js_code: code, grant_type: 'authorization_code', component_appid: app.componentAppId, component_access_token: token },
    }),
  );
  return identityOf('component/jscode2session', body);
}
