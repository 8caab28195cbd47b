import { loginStateSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';
import type { AccessTokenManager } from './access-token.js';
import { callWechat, type HttpSettings } from './http.js';

/**
 * Ask WeChat whether a session_key is still the user's live one
 * (`GET /wxa/checksession`). Resolves `false` for 87009 (dead key).
 */
export async function checkSessionKey(
  http: HttpSettings,
  tokens: AccessTokenManager,
  openid: string,
  sessionKey: string,
): Promise<boolean> {
  try {
    await tokens.withToken((token) =>
      callWechat(http, {
        api: 'checksession',
        method: 'GET',
        path: '/wxa/checksession',
        query: { access_token: token, signature: loginStateSignature(sessionKey), openid, sig_method: 'hmac_sha256' },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof WechatError && err.errcode === 87009) return false;
    throw err;
  }
}
