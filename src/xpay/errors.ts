/**
 * What an `xpay` errcode says about the signatures.
 */

/**
 * Which signature WeChat refused: `pay_sig` (the AppKey, or the env's key, is
 * wrong), `signature` (the session_key is not the user's newest), `session_key`
 * (WeChat holds no live session_key for the user: 268490009), or `unknown`
 * (268490003 without saying which).
 *
 * @example
 * ```ts
 * const which: XpaySignatureFailure = 'signature';
 * ```
 */
export type XpaySignatureFailure = 'pay_sig' | 'signature' | 'session_key' | 'unknown';

/** 268490003: a signature is wrong; its errmsg names which. */
export const XPAY_SIGNATURE_ERRCODE = 268490003;
/** 268490009: the user's session_key is missing or expired: the user must log in again. */
export const XPAY_SESSION_KEY_ERRCODE = 268490009;

/**
 * Which signature an `xpay` answer refused, from its errcode and errmsg
 * (`支付签名(pay_sig)校验失败`, `用户态签名(signature)校验失败`, or `签名校验失败`);
 * `undefined` for any other errcode.
 *
 * @example
 * ```ts
 * xpaySignatureFailure(268490003, '用户态签名(signature)校验失败'); // 'signature'
 * ```
 */
export function xpaySignatureFailure(errcode: number, errmsg: string): XpaySignatureFailure | undefined {
  if (errcode === XPAY_SESSION_KEY_ERRCODE) return 'session_key';
  if (errcode !== XPAY_SIGNATURE_ERRCODE) return undefined;
  const text = String(errmsg);
  if (text.includes('pay_sig') || text.includes('支付签名')) return 'pay_sig';
  if (text.includes('用户态签名') || /\bsignature\b/.test(text)) return 'signature';
  return 'unknown';
}
