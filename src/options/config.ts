/** The options once checked: every default filled in, grouped by the part that uses them. */
import type { ApiSecurityKeys } from '../crypto/api-security-keys.js';
import type { WechatEventHandlers } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { WechatStore } from '../store.js';
import type { LoginHook } from './login-types.js';
import type { WechatComponentOptions, WechatWecomOptions } from './platform-types.js';
import type { AccessTokenMode } from './types.js';

export interface AppConfig {
  appId: string;
  /** Absent in third-party-platform mode. */
  appSecret?: string;
  /** Set when the app's calls are signed and encrypted. */
  apiSecurity?: ApiSecurityKeys;
}

/** How calls reach WeChat, whichever app they are for. */
export interface HttpSettings {
  baseUrl: string;
  /** Where a call goes once more when it could not reach `baseUrl` at all; undefined for none. */
  backupBaseUrl: string | undefined;
  /** Per attempt, ms. */
  timeout: number;
  /** Extra attempts after a busy (-1), 5xx or network failure. */
  retries: number;
  /** First backoff delay, ms; doubles each retry, with jitter. */
  retryDelay: number;
  maxConcurrentCalls: number;
  maxQueuedCalls: number;
  fetch: typeof fetch;
}

/** What a context and a client on its own both take. */
export interface ClientConfig {
  http: HttpSettings;
  accessToken: AccessTokenMode;
  store: WechatStore | undefined;
  storeTimeout: number;
  now: () => number;
  logger: WechatLogger | false | undefined;
}

/** What the session manager needs: no credentials. */
export interface SessionPolicy {
  ttl: number;
  renewAfter: number;
  singleSession: boolean;
  maxSessionsPerUser: number;
  now: () => number;
}

export type RiskRankConfig = { scene: 0 | 1; refuseAt: number | undefined; failClosed: boolean };

/** The apps, third-party platform and WeCom corp a server speaks for. */
export interface PlatformConfig {
  apps: AppConfig[];
  component: WechatComponentOptions | undefined;
  authorizerAccessToken: ((appId: string) => Promise<string>) | undefined;
  wecom: Required<WechatWecomOptions> | undefined;
}

/** Everything `wechatSession` was given. */
export interface Config extends ClientConfig, PlatformConfig {
  session: SessionPolicy;
  transport: { bearer: boolean; tokenHeader: string | undefined };
  body: { limit: number; timeout: number };
  on: WechatEventHandlers;
  onLogin: LoginHook | undefined;
  passErrors: boolean;
  verifySessionKey: boolean;
  bindPhoneCode: boolean;
  resetSessionKeyOnLogout: boolean;
  checkEncryptedPhone: boolean;
  riskRank: RiskRankConfig | undefined;
}
