import { WechatError } from '../errors.js';
import type { AppCalls } from './app-calls.js';
import { callWechat } from './http.js';
import { loginStateQuery } from './login-state.js';
import { withToken } from './token-source.js';

/** errcode of `wxa/checksession` for a session_key that is not the user's live one. */
const SESSION_KEY_DEAD_ERRCODE = 87009;

/**
 * Ask WeChat whether a session_key is still the user's live one
 * (`GET /wxa/checksession`, signed with `hmac_sha256(key = the session_key's
 * base64 text, message = "")`). Resolves `true` for 0 and `false` for 87009
 * (dead or replaced key); any other answer rejects with a typed error.
 */
export async function checkSessionKey(calls: AppCalls, openid: string, sessionKey: string): Promise<boolean> {
  const signed = loginStateQuery(openid, sessionKey);
  try {
    await withToken(calls.tokens, (token) =>
      callWechat(calls.http, {
        api: 'checksession',
        method: 'GET',
        path: '/wxa/checksession',
        query: { access_token: token, ...signed },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof WechatError && err.errcode === SESSION_KEY_DEAD_ERRCODE) return false;
    throw err;
  }
}
