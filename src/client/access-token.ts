import { randomBytes } from 'node:crypto';
import { StoreUnavailableError, WechatError } from '../errors.js';
import { errorFields, type WechatLogger } from '../log.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { TOKEN_INVALID_ERRCODES } from './errcodes.js';
import { callWechat, type HttpSettings } from './http.js';

/** `stable`: `POST /cgi-bin/stable_token` (default). `classic`: `GET /cgi-bin/token`. */
export type AccessTokenMode = 'stable' | 'classic';

export interface AccessTokenSettings {
  appId: string;
  appSecret: string;
  mode: AccessTokenMode;
  /** Where the token is shared with other processes; without one it is kept in this process only. */
  store?: GuardedStore;
  now: () => number;
  /** Seconds before WeChat's `expires_in` at which the cached token is dropped. Default 300. */
  margin?: number;
  /** Lease of the fleet-wide refresh lock, ms. Default: 10 000, or longer than one fetch with all its retries. */
  lockLease?: number;
}

interface Cached {
  /** the access_token */
  t: string;
  /** expires at, ms since the epoch (margin already taken off) */
  e: number;
}

/** A refresh under way in this process, and the token it replaces (if one failed). */
interface Pending {
  failed: string | undefined;
  promise: Promise<string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseCached(value: string | null | undefined): Cached | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<Cached>;
    return typeof parsed.t === 'string' && typeof parsed.e === 'number' ? (parsed as Cached) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether WeChat refused the access_token itself (40001, 40014, 42001). */
export function isStaleTokenError(err: unknown): err is WechatError & { errcode: number } {
  return err instanceof WechatError && err.errcode !== undefined && TOKEN_INVALID_ERRCODES.has(err.errcode);
}

/**
 * Keeps one access_token per appId for a whole fleet: cached in the store
 * under an appId-namespaced key (`<appId>:at:<mode>`), fetched once per
 * process at a time and, across processes, under a store lock (set-if-absent
 * with an owner and a lease, released only by its owner) with a re-read
 * after waiting, so that a fleet fetches once. The AppSecret is held in a
 * private field and never written anywhere.
 */
export class AccessTokenManager {
  readonly #secret: string;
  // Every field is #private: util.inspect and JSON.stringify never reach the token, the refresh
  // under way (a promise of the token) or the store that holds it.
  #local?: Cached;
  #pending?: Pending;
  readonly #key: string;
  readonly #lockKey: string;
  readonly #settings: Omit<AccessTokenSettings, 'appSecret'>;
  readonly #http: HttpSettings;
  /** How many times this process fetched a token from WeChat. */
  fetches = 0;

  constructor(http: HttpSettings, settings: AccessTokenSettings) {
    const { appSecret, ...rest } = settings;
    this.#http = http;
    this.#secret = appSecret;
    this.#settings = rest;
    this.#key = `${rest.appId}:at:${rest.mode}`;
    this.#lockKey = `${this.#key}:lock`;
  }

  get #log(): WechatLogger {
    return this.#http.log;
  }

  /** A valid access_token, from this process, the store, or WeChat. */
  get(): Promise<string> {
    const local = this.#local;
    if (local && local.e > this.#settings.now()) return Promise.resolve(local.t);
    return this.#refresh(undefined);
  }

  /**
   * Run `call` with a token; when WeChat says the token is stale
   * (40001/40014/42001), drop it (only if it is still the cached one),
   * get a fresh one and run `call` once more.
   */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await call(token);
    } catch (err) {
      if (!isStaleTokenError(err)) throw err;
      this.#log.info({ event: 'access_token.rejected', mode: this.#settings.mode, errcode: err.errcode }, 'WeChat refused the access_token');
      return call(await this.replace(token));
    }
  }

  /** Drop `failed` wherever it is still the cached token and resolve a different, fresh one. */
  replace(failed: string): Promise<string> {
    const local = this.#local;
    if (local && local.t !== failed && local.e > this.#settings.now()) return Promise.resolve(local.t); // replaced already
    if (local?.t === failed) this.#local = undefined;
    return this.#refresh(failed);
  }

  /** One refresh at a time per process; a refresh for another reason is waited for, then judged. */
  #refresh(failed: string | undefined): Promise<string> {
    const pending = this.#pending;
    if (pending && (failed === undefined || pending.failed === failed)) return pending.promise;
    const run = pending
      ? pending.promise.then(
          (token) => (token === failed ? this.#obtain(failed) : token),
          () => this.#obtain(failed),
        )
      : this.#obtain(failed);
    const entry: Pending = { failed, promise: run };
    this.#pending = entry;
    const clear = () => {
      if (this.#pending === entry) this.#pending = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  async #obtain(failed: string | undefined): Promise<string> {
    const store = this.#settings.store;
    if (!store) return this.#keep(await this.#fetchFresh(failed));
    try {
      const shared = await this.#readShared(store, failed);
      if (shared) return this.#keep(shared);
      return await this.#underLock(store, failed);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.#log.warn({ event: 'access_token.store_unavailable', ...errorFields(err) }, 'access_token fetched without the store');
      return this.#keep(await this.#fetchFresh(failed));
    }
  }

  /** The shared token if usable; a shared token equal to `failed` is removed (compare-and-delete). */
  async #readShared(store: GuardedStore, failed: string | undefined): Promise<Cached | undefined> {
    const raw = await store.get(this.#key);
    const cached = parseCached(raw);
    if (!cached) return undefined;
    if (cached.t === failed) {
      await store.destroyIfEqual(this.#key, raw as string);
      return undefined;
    }
    return cached.e > this.#settings.now() ? cached : undefined;
  }

  async #underLock(store: GuardedStore, failed: string | undefined): Promise<string> {
    const { timeout, retries } = this.#http;
    const lease = this.#settings.lockLease ?? Math.max(10_000, timeout * (retries + 1) + 2000); // outlasts one fetch
    const owner = randomBytes(16).toString('base64url');
    const giveUp = Date.now() + lease;
    for (;;) {
      const acquired = store.add(this.#lockKey, owner, Math.ceil(lease / 1000));
      if (acquired === undefined) return this.#fetchAndShare(store, failed); // no atomic add: best effort
      if (await acquired) return this.#holdingLock(store, owner, failed);
      if (Date.now() >= giveUp) break;
      await sleep(20 + Math.random() * 40);
      const written = await this.#readShared(store, failed);
      if (written) return this.#keep(written);
    }
    this.#log.warn({ event: 'access_token.lock_timeout', ms: lease }, 'access_token lock still held: fetching anyway');
    return this.#fetchAndShare(store, failed);
  }

  async #holdingLock(store: GuardedStore, owner: string, failed: string | undefined): Promise<string> {
    try {
      const again = await this.#readShared(store, failed);
      return again ? this.#keep(again) : await this.#fetchAndShare(store, failed);
    } finally {
      await store.destroyIfEqual(this.#lockKey, owner)?.catch(() => undefined);
    }
  }

  async #fetchAndShare(store: GuardedStore, failed: string | undefined): Promise<string> {
    const fresh = await this.#fetchFresh(failed);
    const ttl = Math.max(1, Math.floor((fresh.e - this.#settings.now()) / 1000));
    try {
      await store.set(this.#key, JSON.stringify(fresh), ttl);
    } catch (err) {
      this.#log.warn({ event: 'access_token.store_unavailable', ...errorFields(err) }, 'access_token not shared');
    }
    return this.#keep(fresh);
  }

  /** A token from WeChat; a stable token that comes back equal to the one that failed is force-refreshed. */
  async #fetchFresh(failed: string | undefined): Promise<Cached> {
    const fresh = await this.#fetch(false);
    return fresh.t === failed ? this.#fetch(true) : fresh;
  }

  #keep(cached: Cached): string {
    this.#local = cached;
    return cached.t;
  }

  async #fetch(forceRefresh: boolean): Promise<Cached> {
    const { appId, mode } = this.#settings;
    const api = mode === 'stable' ? 'stable_token' : 'token';
    this.fetches++;
    const started = Date.now();
    const body =
      mode === 'stable'
        ? await callWechat(this.#http, {
            api,
            method: 'POST',
            path: '/cgi-bin/stable_token',
            body: { grant_type: 'client_credential', appid: appId, secret: this.#secret, force_refresh: forceRefresh },
          })
        : await callWechat(this.#http, {
            api,
            method: 'GET',
            path: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: appId, secret: this.#secret },
          });
    const token = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof token !== 'string' || !token || !(expiresIn > 0)) {
      throw new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${api} answered without an access_token`);
    }
    this.#log.info({ event: 'access_token.fetched', api, forceRefresh, expiresIn, ms: Date.now() - started }, 'access_token fetched');
    const margin = Math.min(this.#settings.margin ?? 300, Math.floor(expiresIn / 2));
    return { t: token, e: this.#settings.now() + (expiresIn - margin) * 1000 };
  }
}
