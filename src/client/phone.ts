import { checkWatermark } from '../crypto/decrypt.js';
import { WechatError } from '../errors.js';
import type { WechatPhone } from '../types.js';
import type { AccessTokenManager } from './access-token.js';
import { callWechat, type HttpSettings } from './http.js';

/**
 * Shape a phone payload (from getuserphonenumber or a decrypted legacy
 * payload) into `{ phoneNumber, purePhoneNumber, countryCode }`, with
 * `countryCode` always a string (the docs show a number, real payloads a string).
 */
export function normalizePhone(info: unknown): WechatPhone | undefined {
  if (info === null || typeof info !== 'object') return undefined;
  const { phoneNumber, purePhoneNumber, countryCode } = info as Record<string, unknown>;
  if (typeof phoneNumber !== 'string' || !phoneNumber) return undefined;
  if (typeof countryCode !== 'string' && typeof countryCode !== 'number') return undefined;
  return {
    phoneNumber,
    purePhoneNumber: typeof purePhoneNumber === 'string' ? purePhoneNumber : phoneNumber,
    countryCode: String(countryCode),
  };
}

/**
 * Redeem a one-time phone `code` (the new getPhoneNumber flow) at
 * `POST /wxa/business/getuserphonenumber`, checking the watermark appid.
 */
export async function redeemPhoneCode(
  http: HttpSettings,
  tokens: AccessTokenManager,
  appId: string,
  code: string,
  openid?: string,
): Promise<WechatPhone> {
  const body = await tokens.withToken((token) =>
    callWechat(http, {
      api: 'getuserphonenumber',
      method: 'POST',
      path: '/wxa/business/getuserphonenumber',
      query: { access_token: token },
      body: openid ? { code, openid } : { code },
    }),
  );
  const info = body.phone_info as { watermark?: unknown } | undefined;
  const phone = normalizePhone(info);
  if (!info || !phone) {
    throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat getuserphonenumber answered ok without a phone_info');
  }
  if (info.watermark !== undefined) checkWatermark(info, appId);
  return phone;
}
