import { loginStateSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';

/** The query of WeChat's calls signed with a user's login state (checksession, resetusersessionkey, getuserencryptkey). */
export type LoginStateQuery = {
  openid: string;
  signature: string;
  sig_method: 'hmac_sha256';
};

/**
 * The `openid`, `signature` and `sig_method` of a call signed with the
 * user's session_key (`hmac_sha256`, message `""`); `WECHAT_BAD_REQUEST`
 * naming the field when either is not a non-empty string.
 */
export function loginStateQuery(openid: unknown, sessionKey: unknown): LoginStateQuery {
  if (typeof openid !== 'string' || !openid) throw new WechatError('WECHAT_BAD_REQUEST', '`openid` must be a non-empty string', { field: 'openid' });
  if (typeof sessionKey !== 'string' || !sessionKey)
    throw new WechatError('WECHAT_BAD_REQUEST', '`sessionKey` must be a non-empty string', { field: 'sessionKey' });
  return { openid, signature: loginStateSignature(sessionKey), sig_method: 'hmac_sha256' };
}
