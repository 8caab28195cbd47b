import { WechatError } from '../errors.js';
import { isStaleTokenError } from './access-token.js';

/** What calls on an app's behalf need: a token, and a retry with a fresh one when WeChat says it is stale. */
export interface TokenSource {
  get(): Promise<string>;
  withToken<T>(call: (token: string) => Promise<T>): Promise<T>;
  /** How many tokens this process fetched (or asked its provider for). */
  readonly fetches: number;
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

  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await call(token);
    } catch (err) {
      if (!isStaleTokenError(err)) throw err;
      if (this.#cached && (await this.#cached.token.catch(() => undefined)) === token) this.#cached = undefined;
      return call(await this.get());
    }
  }

  async #ask(): Promise<string> {
    this.fetches++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new WechatError('WECHAT_UPSTREAM_TIMEOUT', `${this.#name} did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    try {
      const token = await Promise.race([Promise.resolve().then(this.#provide), timeout]);
      if (typeof token !== 'string' || !token) throw new WechatError('WECHAT_UPSTREAM_ERROR', `${this.#name} gave no token`);
      return token;
    } catch (err) {
      if (err instanceof WechatError) throw err;
      throw new WechatError('WECHAT_UPSTREAM_ERROR', `${this.#name} failed`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}
