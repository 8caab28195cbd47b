/**
 * The contract every session store fulfils. Values are opaque strings that
 * the library serialises itself; a store only keeps them with an expiry.
 *
 * Tier 1 (required): `get`, `set`, `destroy`.
 * Tier 2 (optional): `replace` (overwrite only an existing key), `touch`
 * (renew without rewriting), `add` and
 * `destroyIfEqual` (atomic primitives used for the fleet-wide access-token
 * lock; without them the lock degrades to best effort).
 *
 * Every method may answer a value or a promise of it: a store that works in
 * process (the memory store) answers at once, one that talks to a server
 * answers a promise. The library awaits each answer once, in one place,
 * bounded by `storeTimeout`.
 *
 * A miss answers `undefined` or `null`, never an error. A thrown error or a
 * rejection means the store is unreachable or broken: the library fails
 * closed with 503, and logs the error's class and message (never a key or
 * a value), so reject with the client's own error.
 *
 * Without `replace` a store still works, but sessions are not renewed (a
 * renewal by plain `set` could bring back a session that was just ended):
 * they lapse `ttl` seconds after login.
 *
 * @example
 * ```ts
 * const store: WechatStore = {
 *   async get(key) { return db.get(key) ?? undefined; },
 *   async set(key, value, ttlSeconds) { await db.put(key, value, ttlSeconds); },
 *   async destroy(key) { await db.del(key); },
 * };
 * ```
 */
export interface WechatStore {
  /** The value under `key`, or `undefined`/`null` when there is none. */
  get(key: string): Awaitable<string | null | undefined>;
  /** Keep `value` under `key` for `ttlSeconds` (a positive whole number). */
  set(key: string, value: string, ttlSeconds: number): Awaitable<void>;
  /** Remove `key`; removing a missing key is not an error. */
  destroy(key: string): Awaitable<void>;
  /** Overwrite `key` only when it exists, atomically (renewals must not bring back a session that was just ended). */
  replace?(key: string, value: string, ttlSeconds: number): Awaitable<void>;
  /** Reset the expiry of an existing key without rewriting its value. */
  touch?(key: string, ttlSeconds: number): Awaitable<void>;
  /** Set `key` only when absent, atomically; answers `true` when this call created it. */
  add?(key: string, value: string, ttlSeconds: number): Awaitable<boolean>;
  /** Remove `key` only when its value is `expected`, atomically; answers `true` when removed. */
  destroyIfEqual?(key: string, expected: string): Awaitable<boolean>;
  /** A short name for logs, e.g. `redis`. */
  readonly kind?: string;
}

/**
 * A value, or a promise of it.
 *
 * @example
 * ```ts
 * const get = (key: string): Awaitable<string | undefined> => cache.get(key);
 * ```
 */
export type Awaitable<T> = T | PromiseLike<T>;

/**
 * Options shared by the bundled adapters.
 *
 * @example
 * ```ts
 * const store = memoryStore({ prefix: 'shop:' });
 * ```
 */
export interface StoreAdapterOptions {
  /** Prepended to every key the library writes. Default `wxs:`. */
  prefix?: string;
}

export const DEFAULT_PREFIX = 'wxs:';
