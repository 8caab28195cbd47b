import { StoreUnavailableError } from '../errors.js';
import { parseJsonObject } from '../json.js';
import { errorFields, type WechatLogger } from '../log.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { withKeyLock } from '../session/key-lock.js';
import type { WechatHttp } from './http.js';
import type { TokenSource } from './token-source.js';

/** A token fresh from WeChat, and the seconds it lives. */
export interface FetchedToken {
  token: string;
  expiresIn: number;
}

/**
 * Where tokens come from: the store key they are shared under, the call
 * that fetches one (holding whatever secret it needs; `forceRefresh` asks
 * WeChat for a new one even when the current one has not expired), and the
 * errcodes by which WeChat says a token of this kind is stale.
 */
export interface TokenKind {
  key: string;
  fetch(forceRefresh: boolean): Promise<FetchedToken>;
  staleErrcodes?: ReadonlySet<number>;
}

export interface AccessTokenSettings {
  kind: TokenKind;
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

function parseCached(value: string | null | undefined): Cached | undefined {
  const parsed = value ? parseJsonObject(value) : undefined;
  return typeof parsed?.t === 'string' && typeof parsed.e === 'number' ? { t: parsed.t, e: parsed.e } : undefined;
}

/**
 * Keeps one access_token per appId for a whole fleet: cached in the store
 * under an appId-namespaced key (`<appId>:at:<mode>`), fetched once per
 * process at a time and, across processes, under a store lock (set-if-absent
 * with an owner and a lease, released only by its owner) with a re-read
 * after waiting, so that a fleet fetches once. The AppSecret is held in a
 * private field and never written anywhere.
 */
export class AccessTokenManager implements TokenSource {
  // Every field is #private: util.inspect and JSON.stringify never reach the token, the refresh
  // under way (a promise of the token) or the store that holds it.
  #local?: Cached;
  #pending?: Pending;
  readonly #key: string;
  readonly #lockKey: string;
  readonly #settings: AccessTokenSettings;
  readonly #http: WechatHttp;
  fetches = 0;

  constructor(http: WechatHttp, settings: AccessTokenSettings) {
    this.#http = http;
    this.#settings = settings;
    this.#key = settings.kind.key;
    this.#lockKey = `${this.#key}:lock`;
  }

  get #log(): WechatLogger {
    return this.#http.log;
  }

  get staleErrcodes(): ReadonlySet<number> | undefined {
    return this.#settings.kind.staleErrcodes;
  }

  /** A valid access_token, from this process, the store, or WeChat. */
  get(): Promise<string> {
    const local = this.#local;
    if (local && local.e > this.#settings.now()) return Promise.resolve(local.t);
    return this.#refresh(undefined);
  }

  /** Drop `stale` wherever it is still the cached token and resolve a different, fresh one. */
  replace(stale: string, errcode: number): Promise<string> {
    this.#log.info({ event: 'access_token.rejected', key: this.#key, errcode }, 'WeChat refused the access_token');
    const local = this.#local;
    if (local && local.t !== stale && local.e > this.#settings.now()) return Promise.resolve(local.t); // replaced already
    if (local?.t === stale) this.#local = undefined;
    return this.#refresh(stale);
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

  /** Fetch under the fleet-wide lock, unless another process shares a token meanwhile. */
  #underLock(store: GuardedStore, failed: string | undefined): Promise<string> {
    const { timeout, retries } = this.#http;
    const lease = this.#settings.lockLease ?? Math.max(10_000, timeout * (retries + 1) + 2000); // outlasts one fetch
    return withKeyLock(
      store,
      this.#lockKey,
      {
        leaseMs: lease,
        waitMs: lease,
        whileWaiting: async () => {
          const written = await this.#readShared(store, failed);
          return written && this.#keep(written);
        },
        onWaitExpired: () => this.#log.warn({ event: 'access_token.lock_timeout', ms: lease }, 'access_token lock still held: fetching anyway'),
      },
      async () => {
        const again = await this.#readShared(store, failed);
        return again ? this.#keep(again) : this.#fetchAndShare(store, failed);
      },
    );
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
    this.fetches++;
    const started = Date.now();
    const { token, expiresIn } = await this.#settings.kind.fetch(forceRefresh);
    this.#log.info({ event: 'access_token.fetched', key: this.#key, forceRefresh, expiresIn, ms: Date.now() - started }, 'access_token fetched');
    const margin = Math.min(this.#settings.margin ?? 300, Math.floor(expiresIn / 2));
    return { t: token, e: this.#settings.now() + (expiresIn - margin) * 1000 };
  }
}
