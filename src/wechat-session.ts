import { clientParts, WechatClient } from './client/client.js';
import { createEmitter, type Emit } from './events.js';
import { describeError, libraryLogger, type WechatLogger } from './log.js';
import { type Config, parseOptions, type WechatSessionOptions } from './options.js';
import { GuardedStore } from './session/guarded-store.js';
import { LoginCoalescer } from './session/login-coalescer.js';
import { SessionManager } from './session/manager.js';
import type { WechatStore } from './store.js';
import { memoryStore } from './stores/memory.js';

/**
 * What every middleware of one mini-program shares: the checked options,
 * the store, the sessions in it, the WeChat client with its access-token
 * cache, and the logins under way. Build it once with {@link wechatSession}
 * and hand it to each factory.
 */
export class WechatSessionContext {
  /** The mini-program's AppID. */
  readonly appId: string;
  /** @internal */ readonly config: Omit<Config, 'client'>;
  /** @internal */ readonly log: WechatLogger;
  /** @internal */ readonly emit: Emit;
  /** @internal */ readonly store: GuardedStore;
  /** @internal */ readonly sessions: SessionManager;
  /** @internal */ readonly client: WechatClient;
  /** @internal */ readonly logins = new LoginCoalescer();

  /** @internal Use {@link wechatSession}. */
  constructor(options: WechatSessionOptions, defaultStore: () => WechatStore) {
    const { client, ...config } = parseOptions(options);
    this.appId = client.appId;
    this.config = config;
    this.log = libraryLogger(client.logger);
    this.emit = createEmitter(config.on, this.log);
    this.store = new GuardedStore(config.store ?? defaultStore(), client.storeTimeout, (operation, timedOut, cause) =>
      this.emit('storeError', { operation, timedOut, cause: describeError(cause) }),
    );
    this.sessions = new SessionManager(this.store, config.session, this.log, this.emit);
    this.client = new WechatClient(options, clientParts(client, this.store, this.log));
  }

  /** Shows the app it serves, never its secrets or its parts. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `WechatSessionContext { appId: '${this.appId}' }`;
  }
}

/**
 * Check the options once and build what the middleware share. Pass the
 * result to every factory: `wechatLogin(wechat)`, `requireWechatSession(wechat)`,
 * `decryptPhone(wechat)`, `wechatLogout(wechat)`, `wechatRouter(wechat)`,
 * `getWechatClient(wechat)`. Throws a `TypeError` that says what to fix.
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

function sharedDefaultStore(appId: unknown): () => WechatStore {
  return () => {
    const key = String(appId);
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
    context = new WechatSessionContext(input, sharedDefaultStore(input.appId));
    fromOptions.set(input, context);
  }
  return context;
}
