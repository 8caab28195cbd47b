import { randomBytes } from 'node:crypto';
import { WechatError } from '../errors.js';
import type { GuardedStore } from '../session/guarded-store.js';
import { TOKEN_INVALID_ERRCODES } from './errcodes.js';
import { callWechat, type HttpSettings } from './http.js';

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
  /** Lease of the fleet-wide refresh lock, ms. Default 10 000. */
  lockLease?: number;
}

interface Cached {
  t: string;
  /** expires at, ms since the epoch (margin already taken off) */
  e: number;
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

/**
 * Keeps one access_token per appId for a whole fleet: cached in the store
 * under an appId-namespaced key, fetched once per process at a time and,
 * across processes, under a store lock (set-if-absent with an owner and a
 * lease, released only by its owner) so that a fleet fetches once.
 */
export class AccessTokenManager {
  private local?: Cached;
  private inflight?: Promise<string>;
  private readonly key: string;
  private readonly lockKey: string;
  /** How many times this process fetched a token from WeChat. */
  fetches = 0;

  constructor(
    private readonly http: HttpSettings,
    private readonly settings: AccessTokenSettings,
  ) {
    this.key = `${settings.appId}:at:${settings.mode}`;
    this.lockKey = `${this.key}:lock`;
  }

  /** A valid access_token, from this process, the store, or WeChat. */
  get(): Promise<string> {
    if (this.local && this.local.e > this.settings.now()) return Promise.resolve(this.local.t);
    if (!this.inflight) {
      this.inflight = this.obtain(undefined).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
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
      if (!(err instanceof WechatError) || err.errcode === undefined || !TOKEN_INVALID_ERRCODES.has(err.errcode)) throw err;
      return call(await this.replace(token));
    }
  }

  /** Drop `failed` wherever it is still cached and resolve a different, fresh token. */
  async replace(failed: string): Promise<string> {
    if (this.local?.t === failed) this.local = undefined;
    if (!this.inflight) {
      this.inflight = this.obtain(failed).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async readShared(failed: string | undefined): Promise<Cached | undefined> {
    const store = this.settings.store;
    if (!store) return undefined;
    const cached = parseCached(await store.get(this.key));
    if (!cached || cached.e <= this.settings.now() || cached.t === failed) return undefined;
    return cached;
  }

  private async obtain(failed: string | undefined): Promise<string> {
    const shared = await this.readShared(failed);
    if (shared) return this.keep(shared);
    const store = this.settings.store;
    const lease = this.settings.lockLease ?? 10_000;
    const owner = randomBytes(12).toString('base64url');
    const deadline = Date.now() + lease;
    while (store && Date.now() < deadline) {
      const acquired = store.add(this.lockKey, owner, Math.ceil(lease / 1000));
      if (acquired === undefined) break;
      if (await acquired) {
        try {
          const again = await this.readShared(failed);
          return again ? this.keep(again) : await this.fetchAndShare(failed);
        } finally {
          await store.destroyIfEqual(this.lockKey, owner)?.catch(() => undefined);
        }
      }
      await sleep(25 + Math.random() * 50);
      const written = await this.readShared(failed);
      if (written) return this.keep(written);
    }
    return this.fetchAndShare(failed);
  }

  private keep(cached: Cached): string {
    this.local = cached;
    return cached.t;
  }

  private async fetchAndShare(failed: string | undefined): Promise<string> {
    let fetched = await this.fetch(false);
    if (fetched.t === failed) fetched = await this.fetch(true);
    const store = this.settings.store;
    if (store) {
      const ttl = Math.max(1, Math.floor((fetched.e - this.settings.now()) / 1000));
      await store.set(this.key, JSON.stringify(fetched), ttl);
    }
    return this.keep(fetched);
  }

  private async fetch(forceRefresh: boolean): Promise<Cached> {
    const { appId, appSecret, mode } = this.settings;
    this.fetches++;
    const body =
      mode === 'stable'
        ? await callWechat(this.http, {
            api: 'stable_token',
            method: 'POST',
            path: '/cgi-bin/stable_token',
            body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh },
          })
        : await callWechat(this.http, {
            api: 'token',
            method: 'GET',
            path: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
          });
    const token = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof token !== 'string' || !token || !(expiresIn > 0)) {
      throw new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${mode === 'stable' ? 'stable_token' : 'token'} answered without an access_token`);
    }
    const margin = Math.min(this.settings.margin ?? 300, Math.floor(expiresIn / 2));
    return { t: token, e: this.settings.now() + (expiresIn - margin) * 1000 };
  }
}
