export { wechatSession, WechatSessionContext } from './context/wechat-session.js';
export { getWechatClient, getWecomClient } from './context/client-of.js';
export { wechatLogin } from './middleware/login.js';
export { requireWechatSession } from './middleware/require-session.js';
export { decryptPhone } from './middleware/decrypt-phone.js';
export { wechatLogout } from './middleware/logout.js';
export { wecomLogin } from './middleware/wecom-login.js';
export { wechatRouter } from './middleware/router.js';
export { revokeWechatSessions, type RevokeTarget } from './session/revoke.js';
export { WechatSession } from './session/handle.js';
export { wechatHandler, type WechatRequest } from './http/handler.js';
export { wechatErrorHandler } from './http/respond.js';
export { WechatError, WechatApiError, StoreUnavailableError, ERROR_STATUS, type WechatErrorCode, type WechatApiErrorOptions } from './errors.js';
export type { WechatEventHandlers, WechatEventMap, WechatEventName } from './events.js';
export { DEFAULTS } from './options/defaults.js';
export type { AccessTokenMode, WechatClientOptions, WechatSessionOptions } from './options/types.js';
export type { ApiSecurityOptions, WechatAppOptions, WechatComponentOptions, WechatWecomOptions } from './options/platform-types.js';
export type { LoginHook, LoginInfo, RiskRankOptions } from './options/login-types.js';
export type { WechatStore, StoreAdapterOptions, Awaitable } from './store.js';
export { maskPhone, type WechatLogger } from './log.js';
export type { WechatSessionData, WechatRequestSession, WechatPhone, WechatUserInfo } from './types.js';

// The WeChat client and the crypto helpers have subpaths of their own; these root re-exports stay for this major version.
export {
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  WechatClient,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  createWechatClient,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  WecomClient,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  normalizePhone,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  type WecomIdentity,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  type Code2SessionResult,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  type RiskRank,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  type RiskRankQuery,
  /** @deprecated Import it from `express-wechat-session/client`; the package root stops re-exporting it in the next major version. */
  type UserEncryptKey,
} from './client/index.js';
export {
  /** @deprecated Import it from `express-wechat-session/crypto`; the package root stops re-exporting it in the next major version. */
  decryptWechatData,
  /** @deprecated Import it from `express-wechat-session/crypto`; the package root stops re-exporting it in the next major version. */
  checkWatermark,
  /** @deprecated Import it from `express-wechat-session/crypto`; the package root stops re-exporting it in the next major version. */
  verifyUserSignature,
  /** @deprecated Import it from `express-wechat-session/crypto`; the package root stops re-exporting it in the next major version. */
  loginStateSignature,
  /** @deprecated Import it from `express-wechat-session/crypto`; the package root stops re-exporting it in the next major version. */
  type DecryptOptions,
} from './crypto/index.js';
