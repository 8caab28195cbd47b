import type { AppConfig, ClientConfig } from '../options/config.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { AccessTokenManager } from './access-token.js';
import { code2Session, type Code2SessionResult, componentCode2Session } from './code2session.js';
import type { WechatHttp } from './http.js';
import { ApiSecurity } from './signed-call.js';
import { appTokens } from './token-kinds.js';
import type { TokenSource } from './token-source.js';

/** What every WeChat call of one mini-program needs: its way to WeChat, its tokens, its login exchange, its API security. */
export interface AppCalls {
  appId: string;
  http: WechatHttp;
  tokens: TokenSource;
  /** This app's jscode2session: with its own secret, or through a third-party platform. */
  login: (code: string) => Promise<Code2SessionResult>;
  /** Set when the app's calls are signed and encrypted (API security). */
  security: ApiSecurity | undefined;
  now: () => number;
}

/** What a platform-mode app needs: the platform's component token, and the provider of the app's authorizer token. */
export interface PlatformTokens {
  componentAppId: string;
  componentToken: TokenSource;
  authorizerToken: TokenSource;
}

/**
 * The calls of one mini-program, by its own AppSecret or through a
 * third-party platform: the one way a `WechatClient` is wired, for
 * `createWechatClient` and for each app of a `wechatSession`.
 */
export function appCalls(
  app: AppConfig,
  http: WechatHttp,
  config: Pick<ClientConfig, 'accessToken' | 'now'>,
  store: GuardedStore | undefined,
  platform?: PlatformTokens,
): AppCalls {
  const { appId } = app;
  const security = app.apiSecurity && new ApiSecurity(app.apiSecurity, config.now);
  if (platform) {
    const { componentAppId, componentToken, authorizerToken } = platform;
    const login = (code: string) => componentCode2Session(http, { appId, componentAppId, componentToken }, code);
    return { appId, http, tokens: authorizerToken, login, security, now: config.now };
  }
  const credentials = { appId, appSecret: app.appSecret! };
  const tokens = new AccessTokenManager(http, { kind: appTokens(http, { ...credentials, mode: config.accessToken }), store, now: config.now });
  return { appId, http, tokens, login: (code) => code2Session(http, credentials, code), security, now: config.now };
}
