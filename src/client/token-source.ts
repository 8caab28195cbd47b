import { withTimeout } from '../async.js';
import { WechatError } from '../errors.js';
import { TOKEN_INVALID_ERRCODES } from './errcodes.js';

/** Where calls on an app's behalf get their token, and another when WeChat says one is stale. */
export interface TokenSource {
  get(): Promise<string>;
  /** A token other than `stale`, which WeChat refused with `errcode`. */
  replace(stale: string, errcode: number): Promise<string>;
  /** The errcodes by which WeChat says a token of this kind is stale; default 40001, 40014, 42001. */
  readonly staleErrcodes?: ReadonlySet<number>;
  /** How many tokens this process fetched (or asked its provider for). */
  readonly fetches: number;
}

/** Whether WeChat refused the token itself (by default 40001, 40014, 42001). */
function isStaleTokenError(err: unknown, errcodes: ReadonlySet<number> = TOKEN_INVALID_ERRCODES): err is WechatError & { errcode: number } {
  return err instanceof WechatError && err.errcode !== undefined && errcodes.has(err.errcode);
}

/** Run `call` with a token from `source`; when WeChat says the token is stale, once more with another. */
export async function withToken<T>(source: TokenSource, call: (token: string) => Promise<T>): Promise<T> {
  const token = await source.get();
  try {
    return await call(token);
  } catch (err) {
    if (!isStaleTokenError(err, source.staleErrcodes)) throw err;
    return call(await source.replace(token, err.errcode));
  }
}

/**
 * A token that the app's own plumbing provides (a third-party platform's
 * component_access_token or authorizer_access_token), asked for with a
 * bound of `timeoutMs` and kept for `cacheMs`: a provider that throws
 * answers 502, one that hangs 504, like WeChat itself.
 */
export class ProvidedToken implements TokenSource {
  readonly #name: string;
  readonly #provide: () => Promise<string>;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  readonly #now: () => number;
  #cached: { token: Promise<string>; until: number } | undefined;
  fetches = 0;

  constructor(name: string, provide: () => Promise<string>, settings: { timeoutMs: number; cacheMs: number; now: () => number }) {
    this.#name = name;
    this.#provide = provide;
    this.#timeoutMs = settings.timeoutMs;
    this.#cacheMs = settings.cacheMs;
    this.#now = settings.now;
  }

  get(): Promise<string> {
    const cached = this.#cached;
    if (cached && cached.until > this.#now()) return cached.token;
    const token = this.#ask();
    this.#cached = this.#cacheMs > 0 ? { token, until: this.#now() + this.#cacheMs } : undefined;
    token.catch(() => {
      if (this.#cached?.token === token) this.#cached = undefined;
    });
    return token;
  }

  async replace(stale: string): Promise<string> {
    if (this.#cached && (await this.#cached.token.catch(() => undefined)) === stale) this.#cached = undefined;
    return this.get();
  }

  async #ask(): Promise<string> {
    this.fetches++;
    const timedOut = () => new WechatError('WECHAT_UPSTREAM_TIMEOUT', `${this.#name} did not answer within ${this.#timeoutMs} ms`);
    try {
      const token = await withTimeout(Promise.resolve().then(this.#provide), this.#timeoutMs, timedOut);
      if (typeof token !== 'string' || !token) throw new WechatError('WECHAT_UPSTREAM_ERROR', `${this.#name} gave no token`);
      return token;
    } catch (err) {
      if (err instanceof WechatError) throw err;
      throw new WechatError('WECHAT_UPSTREAM_ERROR', `${this.#name} failed`, { cause: err });
    }
  }
}

/** The source of platform apps when no `authorizerAccessToken` was given: calls on their behalf cannot be made. */
export const NO_AUTHORIZER_TOKEN: TokenSource = {
  fetches: 0,
  get: () => Promise.reject(new WechatError('WECHAT_CONFIG_ERROR', 'Set `authorizerAccessToken` to make calls on behalf of an authorized mini-program')),
  replace: () => NO_AUTHORIZER_TOKEN.get(),
};
