export { wechatSession, WechatSessionContext } from './wechat-session.js';
export { wechatLogin } from './middleware/login.js';
export { requireWechatSession } from './middleware/require-session.js';
export { decryptPhone } from './middleware/decrypt-phone.js';
export { wechatLogout, revokeWechatSessions, type RevokeTarget } from './middleware/logout.js';
export { wecomLogin } from './middleware/wecom-login.js';
export { wechatRouter } from './middleware/router.js';
export { getWechatClient, getWecomClient } from './middleware/client-of.js';
export { WecomClient, type WecomIdentity } from './client/wecom.js';
export { wechatHandler, type WechatRequest } from './http/handler.js';
export { wechatErrorHandler } from './http/respond.js';
export { WechatClient, createWechatClient, DEFAULT_API_BASE_URL } from './client/client.js';
export type { Code2SessionResult } from './client/code2session.js';
export type { AccessTokenMode } from './client/access-token.js';
export { normalizePhone } from './client/phone.js';
export { decryptWechatData, checkWatermark, type DecryptOptions } from './crypto/decrypt.js';
export { verifyUserSignature, loginStateSignature } from './crypto/signature.js';
export {
  WechatError,
  WechatApiError,
  StoreUnavailableError,
  ERROR_STATUS,
  isWechatError,
  type WechatErrorCode,
  type WechatApiErrorOptions,
} from './errors.js';
export { DEFAULTS, COMPONENT_TOKEN_CACHE_MS } from './option-defaults.js';
export type {
  WechatSessionOptions,
  WechatClientOptions,
  WechatAppOptions,
  WechatComponentOptions,
  WechatWecomOptions,
  LoginHook,
} from './options.js';
export type { WechatStore, StoreAdapterOptions, Awaitable } from './store.js';
export { maskPhone, type WechatLogger } from './log.js';
export type { WechatEventHandlers, WechatEventMap, WechatEventName } from './events.js';
export { WechatSession } from './session/handle.js';
export type { WechatSessionData, WechatRequestSession, WechatPhone, WechatUserInfo } from './types.js';
export type { RiskRank, RiskRankQuery } from './client/business.js';
export type { UserEncryptKey } from './client/encrypt-key.js';
export type { ApiSecurityOptions } from './crypto/api-security-keys.js';
export type { RiskRankOptions } from './option-extras.js';
export type { LoginInfo } from './options.js';
