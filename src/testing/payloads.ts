/**
 * The legacy encrypted payloads a mini-program page receives (phone number, user info).
 */
import { encryptWechatData, userDataSignature } from './crypto-helpers.js';
import { toPhoneRecord } from './state-users.js';
import type { PhoneInput, UserInfoInput } from './types.js';

/** Profile used where a test gives none. */
export const DEFAULT_USER_INFO: Readonly<UserInfoInput> = {
  nickName: 'Stand-in User',
  gender: 0,
  language: 'zh_CN',
  city: 'Guangzhou',
  province: 'Guangdong',
  country: 'CN',
  avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/standin/132',
};

/** Where and when the payload was made. */
export interface PayloadContext {
  sessionKey: string;
  appId: string;
  nowMs: number;
}

function watermark(context: PayloadContext): { timestamp: number; appid: string } {
  return { timestamp: Math.floor(context.nowMs / 1000), appid: context.appId };
}

/** `encryptedData` + `iv` of the phone JSON, as `getPhoneNumber` gave them in the legacy flow. */
export function phonePayload(context: PayloadContext, phone?: PhoneInput): { encryptedData: string; iv: string } {
  const plaintext = JSON.stringify({ ...toPhoneRecord(phone), watermark: watermark(context) });
  return encryptWechatData(context.sessionKey, plaintext);
}

function pickInfo(info: Partial<UserInfoInput>): UserInfoInput {
  const merged: UserInfoInput = { ...DEFAULT_USER_INFO };
  for (const name of Object.keys(DEFAULT_USER_INFO) as (keyof UserInfoInput)[]) {
    const value = info[name];
    if (typeof value === typeof DEFAULT_USER_INFO[name]) Object.assign(merged, { [name]: value });
  }
  return merged;
}

/** The legacy `getUserInfo` payload: signed `rawData` and the full info encrypted with a watermark. */
export function userInfoPayload(
  context: PayloadContext,
  user: { openid: string; unionid?: string },
  info: Partial<UserInfoInput> = {},
): { rawData: string; signature: string; encryptedData: string; iv: string } {
  const profile = pickInfo(info);
  const rawData = JSON.stringify(profile);
  const full = {
    openId: user.openid,
    ...profile,
    ...(user.unionid !== undefined && { unionId: user.unionid }),
    watermark: watermark(context),
  };
  const encrypted = encryptWechatData(context.sessionKey, JSON.stringify(full));
  return { rawData, signature: userDataSignature(rawData, context.sessionKey), ...encrypted };
}
