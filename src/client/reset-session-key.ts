import type { AppCalls } from './app-calls.js';
import { callWechat } from './http.js';
import { loginStateQuery } from './login-state.js';
import { withToken } from './token-source.js';

/**
 * Have WeChat replace a user's session_key (`GET /wxa/resetusersessionkey`,
 * signed with `hmac_sha256(key = the current session_key's base64 text,
 * message = "")`): the old key stops decrypting anything WeChat makes from
 * then on. Resolves when WeChat confirmed; the new key is not kept (the
 * user's next login brings it).
 */
export async function resetSessionKey(calls: AppCalls, openid: string, sessionKey: string): Promise<void> {
  const signed = loginStateQuery(openid, sessionKey);
  await withToken(calls.tokens, (token) =>
    callWechat(calls.http, {
      api: 'resetusersessionkey',
      method: 'GET',
      path: '/wxa/resetusersessionkey',
      query: { access_token: token, ...signed },
    }),
  );
}
