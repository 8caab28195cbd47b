/**
 * Signatures of the `xpay` server APIs (`https://api.weixin.qq.com/xpay/…`).
 */
import { parseJsonObject } from '../json.js';
import { appKeyFor, paySignature, userStateSignature, type VirtualPaymentKeys } from './signatures.js';

/**
 * The query parameters that sign an `xpay` call, beside `access_token`.
 *
 * @example
 * ```ts
 * const { pay_sig, signature } = signXpayRequest(keys, '/xpay/currency_pay', body, sessionKey);
 * ```
 */
export interface XpaySignatures {
  pay_sig: string;
  /** Only when a session_key was given: the user-state APIs need it. */
  signature?: string;
}

/**
 * The APIs that need the user-state `signature` besides `pay_sig`: those that
 * move a user's tokens. The others take `pay_sig` alone.
 *
 * @example
 * ```ts
 * const needsUser = USER_STATE_XPAY_URIS.has('/xpay/currency_pay'); // true
 * ```
 */
export const USER_STATE_XPAY_URIS: ReadonlySet<string> = new Set(['/xpay/query_user_balance', '/xpay/currency_pay', '/xpay/cancel_currency_pay']);

const URI = /^\/[A-Za-z0-9_./-]+$/;

/** The `env` inside a body: 0 when absent, else 0 or 1. */
function envOf(body: string): 0 | 1 {
  const parsed = parseJsonObject(body);
  if (!parsed) throw new TypeError('body must be the JSON object text that is sent');
  const env = parsed.env ?? 0;
  if (env !== 0 && env !== 1) throw new TypeError('env in the body must be 0 (production) or 1 (sandbox)');
  return env;
}

/**
 * Sign one `xpay` call over the exact body text that is sent: `pay_sig` with
 * the AppKey of the body's `env` over `uri & body`, and with `sessionKey`
 * (the user's newest) the user-state `signature` over the body. Build the
 * body once, sign it, send the same string.
 *
 * @param uri - the path alone, e.g. `/xpay/query_user_balance` (no host, no query)
 * @throws TypeError for a uri with a host or query, a body that is not JSON object text, a missing key
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ openid, env: 0, user_ip: req.ip });
 * const sig = signXpayRequest(keys, '/xpay/query_user_balance', body, sessionKey);
 * await fetch(`https://api.weixin.qq.com/xpay/query_user_balance?access_token=${token}&pay_sig=${sig.pay_sig}&signature=${sig.signature}`, { method: 'POST', body });
 * ```
 */
export function signXpayRequest(keys: VirtualPaymentKeys, uri: string, body: string, sessionKey?: string): XpaySignatures {
  if (typeof uri !== 'string' || !URI.test(uri)) throw new TypeError('uri must be the API path alone, e.g. /xpay/currency_pay');
  if (typeof body !== 'string') throw new TypeError('body must be the JSON text that is sent, not an object');
  const pay_sig = paySignature(appKeyFor(keys, envOf(body)), uri, body);
  return sessionKey === undefined ? { pay_sig } : { pay_sig, signature: userStateSignature(sessionKey, body) };
}
