/**
 * The two signatures of virtual payment (虚拟支付): `pay_sig` with the
 * AppKey, and the user-state `signature` with the user's newest session_key.
 */
import { createHmac } from 'node:crypto';
import { loginStateSignature } from '../crypto/signature.js';

/**
 * The AppKeys of the console's 虚拟支付 → 基本配置: the production (现网) key,
 * and the sandbox (沙箱) key for `env` 1.
 *
 * @example
 * ```ts
 * const keys: VirtualPaymentKeys = { appKey: process.env.XPAY_APP_KEY!, sandboxAppKey: process.env.XPAY_SANDBOX_APP_KEY };
 * ```
 */
export interface VirtualPaymentKeys {
  appKey: string;
  sandboxAppKey?: string;
}

/**
 * `env` of virtual payment: 0 production (现网), 1 sandbox (沙箱).
 *
 * @example
 * ```ts
 * const env: VirtualPaymentEnv = process.env.NODE_ENV === 'production' ? 0 : 1;
 * ```
 */
export type VirtualPaymentEnv = 0 | 1;

const SESSION_KEY = /^[A-Za-z0-9+/]{22}==$/;

/**
 * The AppKey that signs for `env`.
 *
 * @throws TypeError when the key for that env is not configured
 *
 * @example
 * ```ts
 * appKeyFor({ appKey: 'live', sandboxAppKey: 'sandbox' }, 1); // 'sandbox'
 * ```
 */
export function appKeyFor(keys: VirtualPaymentKeys, env: VirtualPaymentEnv): string {
  const key = env === 1 ? keys?.sandboxAppKey : keys?.appKey;
  if (typeof key !== 'string' || key === '') throw new TypeError(env === 1 ? 'sandboxAppKey is needed for env 1 (sandbox)' : 'appKey is needed for env 0');
  return key;
}

/**
 * `pay_sig`: HMAC-SHA256 keyed by the AppKey's text over `uri & payload`, in
 * lowercase hex. `uri` is the API's path (`/xpay/currency_pay`), or
 * `requestVirtualPayment` for the client call.
 *
 * @example
 * ```ts
 * paySignature('12345', '/xpay/query_user_balance', '{"openid": "xxx", "user_ip": "127.0.0.1", "env": 0}');
 * // 'c37809f27c6d7fd1837ad2500a04512b66b34fd793a39a385fade56dca89a4b5'
 * ```
 */
export function paySignature(appKey: string, uri: string, payload: string): string {
  return createHmac('sha256', appKey).update(`${uri}&${payload}`, 'utf8').digest('hex');
}

/**
 * The user-state `signature`: HMAC-SHA256 keyed by the session_key's base64
 * *text* (not its bytes) over `payload`, in lowercase hex. WeChat accepts only
 * the user's newest session_key.
 *
 * @throws TypeError when `sessionKey` is not the base64 of 16 bytes (an absent key never signs)
 *
 * @example
 * ```ts
 * userStateSignature('9hAb/NEYUlkaMBEsmFgzig==', '{"openid": "xxx", "user_ip": "127.0.0.1", "env": 0}');
 * // '089d9e8dc5d308977360c4b79ec600a93d736802802a807d634192328032f6c7'
 * ```
 */
export function userStateSignature(sessionKey: string, payload: string): string {
  if (typeof sessionKey !== 'string' || !SESSION_KEY.test(sessionKey)) throw new TypeError('sessionKey must be a session_key (24 base64 characters)');
  return loginStateSignature(sessionKey, payload);
}
