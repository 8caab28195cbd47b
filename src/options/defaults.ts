import type { WechatSessionOptions } from './types.js';

/**
 * Every default, in one place.
 *
 * @example
 * ```ts
 * DEFAULTS.ttl; // 259200 seconds (3 days)
 * ```
 */
export const DEFAULTS = {
  apiBaseUrl: 'https://api.weixin.qq.com',
  backupApiBaseUrl: 'https://api2.weixin.qq.com',
  wecomApiBaseUrl: 'https://qyapi.weixin.qq.com',
  timeout: 5000,
  retries: 2,
  retryDelay: 200,
  maxConcurrentCalls: 32,
  maxQueuedCalls: 256,
  accessToken: 'stable',
  storeTimeout: 2000,
  ttl: 259_200,
  tokenHeader: 'x-wx-session',
  bearer: true,
  singleSession: true,
  maxSessionsPerUser: 10,
  bodyLimit: 16_384,
  bodyTimeout: 10_000,
  passErrors: false,
  verifySessionKey: false,
  bindPhoneCode: true,
  resetSessionKeyOnLogout: false,
  checkEncryptedPhone: false,
} as const;

/** Every top-level option of `wechatSession`: a key outside it is refused at start-up. */
export const OPTION_NAMES = [
  'appId',
  'appSecret',
  'apiBaseUrl',
  'backupApiBaseUrl',
  'timeout',
  'retries',
  'retryDelay',
  'maxConcurrentCalls',
  'maxQueuedCalls',
  'accessToken',
  'store',
  'storeTimeout',
  'fetch',
  'now',
  'logger',
  'ttl',
  'renewAfter',
  'bearer',
  'tokenHeader',
  'singleSession',
  'maxSessionsPerUser',
  'bodyLimit',
  'bodyTimeout',
  'on',
  'onLogin',
  'passErrors',
  'verifySessionKey',
  'bindPhoneCode',
  'resetSessionKeyOnLogout',
  'apiSecurity',
  'checkEncryptedPhone',
  'riskRank',
  'apps',
  'component',
  'authorizerAccessToken',
  'wecom',
] as const satisfies readonly (keyof WechatSessionOptions)[];

/** How long a component_access_token from `component.accessToken()` is used before the provider is asked again, ms. */
export const COMPONENT_TOKEN_CACHE_MS = 60_000;
