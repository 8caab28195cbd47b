/**
 * `express-wechat-session/client`: WeChat's server APIs for mini-programs
 * (and WeCom's login), usable with Express or without it.
 *
 * @example
 * ```ts
 * import { createWechatClient } from 'express-wechat-session/client';
 *
 * const wx = createWechatClient({ appId, appSecret });
 * const { openid } = await wx.code2Session(code);
 * ```
 */
export { WechatClient, createWechatClient } from './client.js';
export { WecomClient, type WecomIdentity } from './wecom.js';
export { normalizePhone, type PhoneCodeOptions } from './phone.js';
export type { Code2SessionResult } from './code2session.js';
export type { RiskRank, RiskRankQuery } from './business.js';
export type { UserEncryptKey } from './encrypt-key.js';
export type { AccessTokenMode, WechatClientOptions } from '../options/types.js';
export type { ApiSecurityOptions } from '../options/platform-types.js';
