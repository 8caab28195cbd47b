/**
 * `express-wechat-session/testing`: a local stand-in for the WeChat server
 * APIs, for your own tests and demos, and the WeChat data-encryption helper.
 *
 * @example
 * ```ts
 * import { startWechatStandIn, encryptWechatData } from 'express-wechat-session/testing';
 *
 * const wechat = await startWechatStandIn();
 * const code = wechat.issueLoginCode();
 * await wechat.close();
 * ```
 */
export { startWechatStandIn } from './stand-in.js';
export { generateApiSecurityKeys, type ServerApiSecurityKeys } from './api-security-keys.js';
export type { StandInApiSecurityInput } from './api-security.js';
export { encryptWechatData, loginStateSignature, userDataSignature } from './crypto-helpers.js';
export { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from './state.js';
export { DEFAULT_CORP_SECRET } from './state-apps.js';
export { STAND_IN_APIS } from './types.js';
export type {
  PhoneInput,
  PhoneRecord,
  StandInApi,
  StandInAppInput,
  StandInComponentInput,
  StandInFaultMode,
  StandInFaultOptions,
  StandInPushFormat,
  StandInPushInput,
  StandInPushMessage,
  StandInPushMode,
  StandInPushOptions,
  StandInPushReceipt,
  StandInPushValue,
  StandInUserInput,
  StandInVirtualPaymentInput,
  StandInWecomInput,
  StandInWecomUserInput,
  UserInfoInput,
  WechatStandIn,
  WechatStandInOptions,
} from './types.js';
