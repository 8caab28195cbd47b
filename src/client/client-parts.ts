/** How one app's WeChat client is wired: its HTTP settings, its tokens and its login exchange. */
import type { Emit } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { AppConfig, HttpConfig } from '../options.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { AccessTokenManager } from './access-token.js';
import { code2Session, type Code2SessionResult, componentCode2Session } from './code2session.js';
import type { HttpSettings } from './http.js';
import { CallLimiter } from './limiter.js';
import { ApiSecurity } from './signed-call.js';
import { appTokens } from './token-kinds.js';
import type { TokenSource } from './token-source.js';

/** How one app's client reaches WeChat: built by {@link appClientParts}, for the middleware and for a client on its own. */
export class ClientParts {
  constructor(
    readonly appId: string,
    readonly http: HttpSettings,
    readonly tokens: TokenSource,
    /** This app's jscode2session: with its own secret, or through a third-party platform. */
    readonly login: (code: string) => Promise<Code2SessionResult>,
    /** Set when the app's calls are signed and encrypted (API security). */
    readonly security?: ApiSecurity,
    /** Clock, ms since the epoch (key caches). */
    readonly now: () => number = Date.now,
  ) {}
}

/** The HTTP settings of checked options: one call limiter per client. */
export function httpSettings(config: HttpConfig, urls: { baseUrl: string; backupBaseUrl: string | undefined }, log: WechatLogger, emit: Emit): HttpSettings {
  const { timeout, retries, retryDelay, fetch, maxConcurrentCalls, maxQueuedCalls } = config;
  const limiter = new CallLimiter(maxConcurrentCalls, maxQueuedCalls);
  return { ...urls, timeout, retries, retryDelay, fetch, log, emit, limiter };
}

/** What a platform-mode app needs: the platform's component token, and the provider of the app's authorizer token. */
export interface PlatformTokens {
  componentAppId: string;
  componentToken: TokenSource;
  authorizerToken: TokenSource;
}

/** The parts of one mini-program: by its own AppSecret, or through a third-party platform. */
export function appClientParts(
  config: HttpConfig,
  app: AppConfig,
  store: GuardedStore | undefined,
  http: HttpSettings,
  platform?: PlatformTokens,
): ClientParts {
  const security = app.apiSecurity && new ApiSecurity(app.apiSecurity, config.now);
  if (platform) {
    const { componentAppId, componentToken } = platform;
    return new ClientParts(
      app.appId,
      http,
      platform.authorizerToken,
      (code) => componentCode2Session(http, { appId: app.appId, componentAppId, componentToken }, code),
      security,
      config.now,
    );
  }
  const credentials = { appId: app.appId, appSecret: app.appSecret! };
  const tokens = new AccessTokenManager(http, { kind: appTokens(http, { ...credentials, mode: config.accessToken }), store, now: config.now });
  return new ClientParts(app.appId, http, tokens, (code) => code2Session(http, credentials, code), security, config.now);
}
