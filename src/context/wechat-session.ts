import type { IncomingMessage } from 'node:http';
import type { WechatClient } from '../client/client.js';
import { WechatError } from '../errors.js';
import type { Emit } from '../events.js';
import { namedApp } from '../http/named-app.js';
import type { WechatLogger } from '../log.js';
import type { Config } from '../options/config.js';
import { parseOptions } from '../options/parse.js';
import type { WechatSessionOptions } from '../options/types.js';
import { createRuntime } from '../runtime.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { LoginCoalescer } from '../session/login-coalescer.js';
import type { SessionManager } from '../session/manager.js';
import type { WechatStore } from '../store.js';
import { memoryStore } from '../stores/memory.js';
import { type AppParts, appsOf, type WecomParts, wecomOf } from './realms.js';

export type { AppParts, WecomParts };

const unknownApp = (message: string) => new WechatError('WECHAT_APP_UNKNOWN', message);

/**
 * What every middleware of one backend shares: the checked options, the
 * store, the apps it speaks for (each with its WeChat client, access-token
 * cache and sessions), the WeCom corp if any, and the logins under way.
 * Build it once with {@link wechatSession} and hand it to each factory.
 *
 * @example
 * ```ts
 * const wechat: WechatSessionContext = wechatSession({ appId, appSecret });
 * app.use('/wechat', wechatRouter(wechat));
 * ```
 */
export class WechatSessionContext {
  /** @internal */ readonly config: Omit<Config, 'http' | 'apps' | 'component' | 'authorizerAccessToken' | 'wecom'>;
  /** @internal */ readonly log: WechatLogger;
  /** @internal */ readonly emit: Emit;
  /** @internal */ readonly store: GuardedStore;
  /** @internal */ readonly apps: ReadonlyMap<string, AppParts>;
  /** @internal */ readonly wecom: WecomParts | undefined;
  /** @internal */ readonly logins = new LoginCoalescer();

  /** @internal Use {@link wechatSession}. */
  constructor(options: WechatSessionOptions, defaultStore: () => WechatStore) {
    const parsed = parseOptions(options);
    const { http, apps, component, authorizerAccessToken, wecom, ...config } = parsed;
    this.config = config;
    const runtime = createRuntime(config, config.store ?? defaultStore());
    this.log = runtime.log;
    this.emit = runtime.emit;
    this.store = runtime.store;
    this.apps = appsOf(parsed, runtime);
    this.wecom = wecomOf(parsed, runtime);
    if (!this.store.canReplace) {
      this.log.warn({ event: 'store.no_replace' }, 'the store has no replace(): sessions are not renewed and lapse ttl seconds after login');
    }
  }

  /** The app of `appId`; without one, the only app configured. Throws `WECHAT_APP_UNKNOWN`. */
  app(appId?: string): AppParts {
    if (appId !== undefined) {
      const app = this.apps.get(appId);
      if (!app) throw unknownApp(`This server does not serve the mini-program ${appId.slice(0, 32)}`);
      return app;
    }
    if (this.apps.size !== 1) throw unknownApp('Name the mini-program: send X-WX-AppId (several are served here)');
    return this.apps.values().next().value!;
  }

  /** The app a request is for: the one it names (`X-WX-AppId`, WeChat's Referer), or the only one. */
  appFor(req: IncomingMessage): AppParts {
    return this.app(namedApp(req));
  }

  /**
   * Where a request's session may be, in the order to look: the app it is
   * for, then the WeCom corp when one is configured (a WeCom mini-program
   * names an app this server may not list).
   */
  realmsFor(req: IncomingMessage): SessionManager[] {
    const named = namedApp(req);
    const wecom = this.wecom ? [this.wecom.sessions] : [];
    if (named !== undefined && !this.apps.has(named) && wecom.length > 0) return wecom;
    if (named === undefined && this.apps.size === 0 && wecom.length > 0) return wecom;
    return [this.app(named).sessions, ...wecom];
  }

  /** The one app's WeChat client (with several apps, see `getWechatClient(wechat, appId)`). */
  get client(): WechatClient {
    return this.app().client;
  }

  /** Shows the apps it serves, never its secrets or its parts. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const names = [...this.apps.keys(), ...(this.wecom ? [this.wecom.corpId] : [])];
    return `WechatSessionContext { ${names.map((n) => `'${n}'`).join(', ')} }`;
  }
}

/**
 * Check the options once and build what the middleware share. Pass the
 * result to every factory: `wechatLogin(wechat)`, `requireWechatSession(wechat)`,
 * `decryptPhone(wechat)`, `wechatLogout(wechat)`, `wechatRouter(wechat)`,
 * `wecomLogin(wechat)`, `getWechatClient(wechat)`. Throws a `TypeError`
 * that says what to fix.
 *
 * @example
 * ```ts
 * const wechat = wechatSession({ appId: process.env.WECHAT_APP_ID!, appSecret: process.env.WECHAT_APP_SECRET!, store });
 * app.post('/login', wechatLogin(wechat), (req, res) => res.json({ token: req.wechat!.token }));
 * app.use('/api', requireWechatSession(wechat));
 * ```
 */
export function wechatSession(options: WechatSessionOptions): WechatSessionContext {
  return new WechatSessionContext(options, () => memoryStore());
}

/** Contexts built for plain options objects, so each object is checked and built once. */
const fromOptions = new WeakMap<object, WechatSessionContext>();
/**
 * The default store of options objects that name none, one per AppID: two
 * such objects for one mini-program (options written inline per middleware)
 * then see the same sessions, instead of one answering 401 for the other's
 * tokens.
 */
const defaultStores = new Map<string, WechatStore>();

function sharedDefaultStore(options: WechatSessionOptions): () => WechatStore {
  return () => {
    const key = JSON.stringify([options.appId, options.apps?.map((a) => a?.appId), options.wecom?.corpId]);
    let store = defaultStores.get(key);
    if (!store) {
      store = memoryStore();
      defaultStores.set(key, store);
    }
    return store;
  };
}

/**
 * The context to use for what a factory was given: a {@link WechatSessionContext}
 * as it is, or a plain options object (built once per object, as
 * {@link wechatSession} would, its default store shared per AppID).
 */
export function contextOf(input: WechatSessionContext | WechatSessionOptions): WechatSessionContext {
  if (input instanceof WechatSessionContext) return input;
  if (!input || typeof input !== 'object') return wechatSession(input); // throws the options TypeError
  let context = fromOptions.get(input);
  if (!context) {
    context = new WechatSessionContext(input, sharedDefaultStore(input));
    fromOptions.set(input, context);
  }
  return context;
}
