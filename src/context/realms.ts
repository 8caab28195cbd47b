/** The apps and the WeCom corp a context speaks for, each with its WeChat client and its sessions. */
import { AccessTokenManager } from '../client/access-token.js';
import { appCalls, type PlatformTokens } from '../client/app-calls.js';
import { WechatClient } from '../client/client.js';
import { wechatHttp } from '../client/http.js';
import { corpTokens } from '../client/token-kinds.js';
import { NO_AUTHORIZER_TOKEN, ProvidedToken } from '../client/token-source.js';
import { WecomClient } from '../client/wecom.js';
import type { Config } from '../options/config.js';
import { COMPONENT_TOKEN_CACHE_MS } from '../options/defaults.js';
import type { Runtime } from '../runtime.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { SessionManager } from '../session/manager.js';

/** One mini-program the server speaks for: its WeChat client and its sessions. */
export interface AppParts {
  appId: string;
  client: WechatClient;
  sessions: SessionManager;
}

/** The WeCom corp the server speaks for: its WeCom client and its members' sessions. */
export interface WecomParts {
  corpId: string;
  client: WecomClient;
  sessions: SessionManager;
}

/** Each app of `config`, by AppID, its client sharing the context's store, log and call limiter. */
export function appsOf(config: Config, runtime: Runtime<GuardedStore>): Map<string, AppParts> {
  const { component, authorizerAccessToken, now } = config;
  const http = wechatHttp(config.http, runtime);
  const provided = (name: string, provide: () => Promise<string>, cacheMs: number) =>
    new ProvidedToken(name, provide, { timeoutMs: config.http.timeout, cacheMs, now });
  const componentToken = component && provided('component.accessToken()', component.accessToken, COMPONENT_TOKEN_CACHE_MS);
  const platformOf = (appId: string): PlatformTokens | undefined =>
    componentToken && {
      componentAppId: component!.appId,
      componentToken,
      authorizerToken: authorizerAccessToken ? provided('authorizerAccessToken()', () => authorizerAccessToken(appId), 0) : NO_AUTHORIZER_TOKEN,
    };
  return new Map(
    config.apps.map((app) => {
      const client = new WechatClient(appCalls(app, http, config, runtime.store, platformOf(app.appId)));
      const sessions = new SessionManager(runtime.store, { kind: 'app', id: app.appId }, config.session, runtime.log, runtime.emit);
      return [app.appId, { appId: app.appId, client, sessions }];
    }),
  );
}

/** The WeCom corp of `config`, if any: its client on WeCom's API, its corp token shared through the store. */
export function wecomOf(config: Config, runtime: Runtime<GuardedStore>): WecomParts | undefined {
  const { wecom } = config;
  if (!wecom) return undefined;
  const http = wechatHttp({ ...config.http, baseUrl: wecom.apiBaseUrl, backupBaseUrl: undefined }, runtime);
  const tokens = new AccessTokenManager(http, { kind: corpTokens(http, wecom), store: runtime.store, now: config.now });
  const sessions = new SessionManager(runtime.store, { kind: 'wecom', id: wecom.corpId }, config.session, runtime.log, runtime.emit);
  return { corpId: wecom.corpId, client: new WecomClient(wecom.corpId, http, tokens), sessions };
}
