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
 * A miss resolves to `undefined` or `null`, never rejects. A rejection means
 * the store is unreachable or broken: the library fails closed with 503.
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
  get(key: string): Promise<string | null | undefined>;
  /** Keep `value` under `key` for `ttlSeconds` (a positive whole number). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Remove `key`; removing a missing key is not an error. */
  destroy(key: string): Promise<void>;
  /** Overwrite `key` only when it exists, atomically (renewals must not bring back a session that was just ended). */
  replace?(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Reset the expiry of an existing key without rewriting its value. */
  touch?(key: string, ttlSeconds: number): Promise<void>;
  /** Set `key` only when absent, atomically; resolves `true` when this call created it. */
  add?(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Remove `key` only when its value is `expected`, atomically; resolves `true` when removed. */
  destroyIfEqual?(key: string, expected: string): Promise<boolean>;
  /** A short name for logs, e.g. `redis`. */
  readonly kind?: string;
}

/** Options shared by the bundled adapters. */
export interface StoreAdapterOptions {
  /** Prepended to every key the library writes. Default `wxs:`. */
  prefix?: string;
}

export const DEFAULT_PREFIX = 'wxs:';
