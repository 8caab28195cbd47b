import { loginStateSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';
import type { TokenSource } from './token-source.js';
import { callWechat, type HttpSettings } from './http.js';

/** errcode of `wxa/checksession` for a session_key that is not the user's live one. */
export const SESSION_KEY_DEAD_ERRCODE = 87009;

/**
 * Ask WeChat whether a session_key is still the user's live one
 * (`GET /wxa/checksession`, signed with `hmac_sha256(key = the session_key's
 * base64 text, message = "")`). Resolves `true` for 0 and `false` for 87009
 * (dead or replaced key); any other answer rejects with a typed error.
 */
export async function checkSessionKey(http: HttpSettings, tokens: TokenSource, openid: string, sessionKey: string): Promise<boolean> {
  if (typeof openid !== 'string' || !openid) throw new WechatError('WECHAT_BAD_REQUEST', '`openid` must be a non-empty string', { field: 'openid' });
  if (typeof sessionKey !== 'string' || !sessionKey) {
    throw new WechatError('WECHAT_BAD_REQUEST', '`sessionKey` must be a non-empty string', { field: 'sessionKey' });
  }
  const signature = loginStateSignature(sessionKey);
  try {
    await tokens.withToken((token) =>
      callWechat(http, {
        api: 'checksession',
        method: 'GET',
        path: '/wxa/checksession',
        query: { access_token: token, signature, openid, sig_method: 'hmac_sha256' },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof WechatError && err.errcode === SESSION_KEY_DEAD_ERRCODE) return false;
    throw err;
  }
}
