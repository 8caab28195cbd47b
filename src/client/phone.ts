import { checkWatermark } from '../crypto/decrypt.js';
import { WechatError } from '../errors.js';
import type { WechatPhone } from '../types.js';
import type { AppCalls } from './app-calls.js';
import { callBusiness } from './business.js';

/**
 * Shape a phone payload (from getuserphonenumber or a decrypted legacy
 * payload) into `{ phoneNumber, purePhoneNumber, countryCode }`, with
 * `countryCode` always a string (the docs show a number, real payloads a
 * string). `undefined` when the payload holds no phone number.
 *
 * @example
 * ```ts
 * normalizePhone({ phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: 86 });
 * // { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }
 * ```
 */
export function normalizePhone(info: unknown): WechatPhone | undefined {
  if (info === null || typeof info !== 'object') return undefined;
  const { phoneNumber, purePhoneNumber, countryCode } = info as Record<string, unknown>;
  if (typeof phoneNumber !== 'string' || !phoneNumber) return undefined;
  if (typeof countryCode !== 'string' && typeof countryCode !== 'number') return undefined;
  return {
    phoneNumber,
    purePhoneNumber: typeof purePhoneNumber === 'string' && purePhoneNumber ? purePhoneNumber : phoneNumber,
    countryCode: String(countryCode),
  };
}

/**
 * Optional checks when redeeming a phone code.
 *
 * @example
 * ```ts
 * const options: PhoneCodeOptions = { openid: req.wechat!.openid };
 * const phone = await getWechatClient(wechat).getPhoneNumber(code, options);
 * ```
 */
export interface PhoneCodeOptions {
  /** The user the code must belong to; WeChat refuses a code of another user (40029). */
  openid?: string;
}

/**
 * Redeem a one-time phone `code` (the new getPhoneNumber flow) at
 * `POST /wxa/business/getuserphonenumber` with the shared access_token
 * (refreshed and retried once on 40001/40014/42001), checking the
 * watermark appid. An ok answer without `phone_info` is an upstream error.
 */
export async function redeemPhoneCode(calls: AppCalls, code: string, options: PhoneCodeOptions = {}): Promise<WechatPhone> {
  if (typeof code !== 'string' || code.length === 0 || code.length > 256) {
    throw new WechatError('WECHAT_BAD_REQUEST', '`code` must be the code from getPhoneNumber', { field: 'code' });
  }
  const body = await callBusiness(calls, {
    api: 'getuserphonenumber',
    method: 'POST',
    path: '/wxa/business/getuserphonenumber',
    body: options.openid ? { code, openid: options.openid } : { code },
  });
  const info = body.phone_info as { watermark?: unknown } | undefined;
  const phone = normalizePhone(info);
  if (!info || !phone) {
    throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat getuserphonenumber answered ok without a usable phone_info');
  }
  if (info.watermark !== undefined) checkWatermark(info, calls.appId);
  return phone;
}
