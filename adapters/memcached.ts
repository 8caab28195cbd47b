import type { StoreAdapterOptions, WechatStore } from '../src/store.js';
import { adapterOptions, asText, requireMethods, resolvePrefix } from './adapter-options.js';
import { checkMemcachedPrefix, memcachedExpiry, memcachedKey } from './memcached-key.js';

/**
 * The memjs `Client` methods this adapter calls (promise forms). Declared
 * here so that an app without `memjs` installed never needs its types.
 *
 * @example
 * ```ts
 * import memjs from 'memjs';
 * const client: MemjsClientLike = memjs.Client.create('10.0.0.1:11211,10.0.0.2:11211');
 * ```
 */
export interface MemjsClientLike {
  get(key: string): Promise<{ value: unknown }>;
  set(key: string, value: string, options: { expires: number }): Promise<unknown>;
  add(key: string, value: string, options: { expires: number }): Promise<unknown>;
  replace(key: string, value: string, options: { expires: number }): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  touch(key: string, expires: number): Promise<unknown>;
}

/**
 * Options of {@link memcachedStore}.
 *
 * @example
 * ```ts
 * const store = memcachedStore({ client: memjs.Client.create('127.0.0.1:11211', { retries: 0, timeout: 0.25 }), prefix: 'shop:' });
 * ```
 */
export interface MemcachedStoreOptions extends StoreAdapterOptions {
  /** A memjs client from `memjs.Client.create('host1:11211,host2:11211')`. You create and close it. */
  client: MemjsClientLike;
}

const METHODS = ['get', 'set', 'add', 'replace', 'delete', 'touch'] as const;

/**
 * A session store on memcached through memjs, one server or several (memjs
 * spreads keys over them). Expiry is memcached's own; TTLs over 30 days are
 * sent as Unix times as memcached requires. Keys longer than 250 bytes or
 * holding spaces or control characters are replaced by a SHA-256 of the key
 * (same prefix), so any key works.
 *
 * `add` is memcached's atomic `add`. `destroyIfEqual` is best effort: memjs
 * does not expose compare-and-swap, so it reads, compares and deletes, and a
 * write landing between the read and the delete is lost.
 *
 * memjs fails a command after its `timeout` (0.5 s by default) and `retries`
 * (2): a stopped server makes commands reject after about 1.2 s.
 *
 * @example
 * ```ts
 * import memjs from 'memjs';
 * import { memcachedStore } from 'express-wechat-session/adapters/memcached';
 *
 * const client = memjs.Client.create('127.0.0.1:11211,127.0.0.1:11212');
 * const store = memcachedStore({ client, prefix: 'wxs:' });
 * ```
 */
export function memcachedStore(options: MemcachedStoreOptions): WechatStore {
  const given = adapterOptions('memcachedStore', options, ['client', 'prefix']) as Partial<MemcachedStoreOptions>;
  requireMethods('memcachedStore', 'a memjs client from memjs.Client.create()', given.client, METHODS);
  const client = given.client as MemjsClientLike;
  const prefix = resolvePrefix('memcachedStore', given.prefix);
  checkMemcachedPrefix(prefix);
  const keyOf = (key: string) => memcachedKey(prefix, key);
  return {
    kind: 'memcached',
    async get(key) {
      return asText((await client.get(keyOf(key))).value);
    },
    async set(key, value, ttlSeconds) {
      await client.set(keyOf(key), value, { expires: memcachedExpiry(ttlSeconds) });
    },
    async destroy(key) {
      await client.delete(keyOf(key));
    },
    async replace(key, value, ttlSeconds) {
      await client.replace(keyOf(key), value, { expires: memcachedExpiry(ttlSeconds) });
    },
    async touch(key, ttlSeconds) {
      await client.touch(keyOf(key), memcachedExpiry(ttlSeconds));
    },
    async add(key, value, ttlSeconds) {
      return (await client.add(keyOf(key), value, { expires: memcachedExpiry(ttlSeconds) })) === true;
    },
    async destroyIfEqual(key, expected) {
      const full = keyOf(key);
      if (asText((await client.get(full)).value) !== expected) return false;
      await client.delete(full);
      return true;
    },
  };
}
