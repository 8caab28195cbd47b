import { memoryStore } from '../adapters/memory.js';
import { AccessTokenManager } from './client/access-token.js';
import { DEFAULT_API_BASE_URL, WechatClient } from './client/client.js';
import type { HttpSettings } from './client/http.js';
import { CallLimiter } from './client/limiter.js';
import { createEmitter, type Emit } from './events.js';
import { libraryLogger, type WechatLogger } from './log.js';
import { resolveOptions, type ResolvedOptions, type WechatSessionOptions } from './options.js';
import { GuardedStore } from './session/guarded-store.js';
import { LoginCoalescer } from './session/login-coalescer.js';
import { SessionManager } from './session/manager.js';
import type { TokenTransport } from './http/token-transport.js';

/** Everything the middleware built from one options object, shared by all of them. */
export interface Context extends TokenTransport {
  opts: ResolvedOptions;
  passErrors: boolean;
  log: WechatLogger;
  /** Log a lifecycle event and hand it to the app's `on` callback. */
  emit: Emit;
  store: GuardedStore;
  sessions: SessionManager;
  client: WechatClient;
  tokens: AccessTokenManager;
  /** Logins under way in this process, by code: concurrent requests with one code share one exchange. */
  logins: LoginCoalescer;
}

const contexts = new WeakMap<object, Context>();

function buildContext(options: WechatSessionOptions): Context {
  const opts = resolveOptions(options);
  const log = libraryLogger(options.logger);
  const emit = createEmitter(opts.on, log);
  const store = new GuardedStore(options.store ?? memoryStore(), opts.storeTimeout, (operation, timedOut) =>
    emit('storeError', { operation, timedOut }),
  );
  const http: HttpSettings = {
    baseUrl: (options.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, ''),
    timeout: options.timeout ?? 5000,
    retries: options.retries ?? 2,
    retryDelay: options.retryDelay ?? 200,
    fetch: options.fetch ?? globalThis.fetch,
    log,
    limiter: new CallLimiter(options),
  };
  const tokens = new AccessTokenManager(http, {
    appId: opts.appId,
    appSecret: opts.appSecret,
    mode: opts.accessToken,
    store,
    now: opts.now,
  });
  const sessions = new SessionManager(store, { ...opts }, log, emit);
  return {
    opts,
    passErrors: opts.passErrors,
    bearer: opts.bearer,
    tokenHeader: opts.tokenHeader,
    log,
    emit,
    store,
    sessions,
    tokens,
    client: new WechatClient(options, { http, tokens }),
    logins: new LoginCoalescer(opts.bodyTimeout),
  };
}

/**
 * The context for an options object, built and validated on first use.
 * Passing the same object to every middleware shares one context.
 */
export function getContext(options: WechatSessionOptions): Context {
  if (!options || typeof options !== 'object') resolveOptions(options);
  let context = contexts.get(options);
  if (!context) {
    context = buildContext(options);
    contexts.set(options, context);
  }
  return context;
}
