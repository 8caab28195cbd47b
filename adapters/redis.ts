import type { StoreAdapterOptions, WechatStore } from '../src/store.js';
import { asText, requireMethods, resolvePrefix, wholeSeconds } from './adapter-options.js';
import { DESTROY_IF_EQUAL_SCRIPT } from './redis-scripts.js';

/**
 * The commands this adapter sends, as node-redis v4 and v5 spell them on
 * both `createClient()` and `createCluster()` instances. Declared here so
 * that an app without `redis` installed never needs its types.
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { EX: number } | { EX: number; NX: true } | { EX: number; XX: true }): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisStoreOptions extends StoreAdapterOptions {
  /**
   * A connected node-redis client (v4 or v5): `createClient()` for one
   * node, `createCluster()` for a Cluster. You create, connect and close it.
   */
  client: RedisClientLike;
}

const METHODS = ['get', 'set', 'expire', 'del', 'eval'] as const;

/**
 * A session store on Redis through node-redis (v4 or v5), one node or a
 * Cluster. Expiry is Redis's own (`SET … EX`, `EXPIRE`); every command
 * touches a single key, so keys may live in any hash slot. Resolving a
 * session costs one `GET`.
 *
 * Commands fail (and the library answers 503) when the client is closed or
 * the connection drops. A server that stops answering without closing the
 * connection leaves commands waiting: the library's store timeout bounds
 * them, and `disableOfflineQueue: true` on the client makes commands sent
 * while reconnecting fail at once instead of waiting for the reconnection.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStore } from 'express-wechat-session/adapters/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (err) => console.error('redis', err.message));
 * await client.connect();
 * const store = redisStore({ client, prefix: 'wxs:' });
 * ```
 */
export function redisStore(options: RedisStoreOptions): WechatStore {
  const client = options?.client;
  requireMethods('redisStore', 'a node-redis client from createClient() or createCluster()', client, METHODS);
  const prefix = resolvePrefix('redisStore', options.prefix);
  return {
    kind: 'redis',
    async get(key) {
      return asText(await client.get(prefix + key));
    },
    async set(key, value, ttlSeconds) {
      await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds) });
    },
    async destroy(key) {
      await client.del(prefix + key);
    },
    async replace(key, value, ttlSeconds) {
      await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds), XX: true });
    },
    async touch(key, ttlSeconds) {
      await client.expire(prefix + key, wholeSeconds(ttlSeconds));
    },
    async add(key, value, ttlSeconds) {
      const reply = await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds), NX: true });
      return reply !== null && reply !== undefined;
    },
    async destroyIfEqual(key, expected) {
      const reply = await client.eval(DESTROY_IF_EQUAL_SCRIPT, { keys: [prefix + key], arguments: [expected] });
      return Number(reply) === 1;
    },
  };
}
