type ReadCallback = (ok: boolean, result: unknown) => void;
import type { StoreAdapterOptions, WechatStore } from '../src/store.js';
import { asText, requireMethods, resolvePrefix, wholeSeconds } from './adapter-options.js';
import { afterPollPhase } from './after-poll.js';
import { writeBarrier } from './redis-barrier.js';
import { guardClientSideCache, type CacheGuard } from './redis-client-cache.js';
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
  /**
   * With a client created with `clientSideCache` (node-redis 5+, `RESP: 3`):
   * the most milliseconds a cached session may lag a revocation made
   * elsewhere when the connection silently stops delivering Redis's
   * invalidations (a network partition, a stalled server). Past it, reads
   * wait for a `PING` round trip that proves the connection is live again.
   * In normal operation invalidations arrive before the revoking call's
   * answer, whatever this is. Default 1000.
   */
  maxStaleness?: number;
}

/** Reads of a store on a client with `clientSideCache`, since it was made. */
export interface ClientSideCacheStats {
  /** Answered from the client's cache by the adapter, with no command sent. */
  hits: number;
  /** Sent to Redis as `GET` (not cached yet, still loading, or waiting for proof the connection is live). */
  misses: number;
}

/** The Redis store: a {@link WechatStore}, and how its reads went through the client-side cache. */
export interface RedisWechatStore extends WechatStore {
  /**
   * Hits and misses of the client-side cache as this store read it, or
   * `undefined` for a client without one. node-redis's own
   * `clientSideCache.stats()` counts only the `GET`s the store sends, not
   * the hits it reads from the cache itself.
   */
  clientSideCacheStats(): ClientSideCacheStats | undefined;
}

const METHODS = ['get', 'set', 'expire', 'del', 'eval'] as const;

function staleness(value: unknown): number {
  if (value === undefined) return 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`redisStore: \`maxStaleness\` must be a positive number of milliseconds; got ${String(value)}`);
  }
  return value;
}

/**
 * A session store on Redis through node-redis (v4 or v5), one node or a
 * Cluster. Expiry is Redis's own (`SET … EX`, `EXPIRE`); every command
 * touches a single key, so keys may live in any hash slot. Resolving a
 * session costs one `GET`.
 *
 * The fast path: a client (or Cluster) created with `RESP: 3` and
 * `clientSideCache` keeps sessions it read in process memory, and Redis
 * tells it when one changes (server-assisted client-side caching, Redis
 * 6+), so resolving a session costs no round trip at all. A session
 * revoked by another process is refused here as soon as the revoking call
 * has been answered; see `maxStaleness` for a connection that goes silent.
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
 *
 * // Fast path: sessions cached in process, invalidated by Redis.
 * const cached = createClient({ url, RESP: 3, clientSideCache: { maxEntries: 100_000 } });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisWechatStore {
  const client = options?.client;
  requireMethods('redisStore', 'a node-redis client from createClient() or createCluster()', client, METHODS);
  const prefix = resolvePrefix('redisStore', options.prefix);
  const maxStaleness = staleness(options.maxStaleness);
  const guard = guardClientSideCache(client, maxStaleness);
  const { store } = guard ? cachedStore(client, prefix, guard) : plainStore(client, prefix);
  return store;
}

/** A store and its reader for the library's store guard. */
interface Built {
  store: RedisWechatStore;
  read(key: string, done: ReadCallback): void;
}

/** Report how `reply` ends to `done`, as text. */
function report(reply: Promise<unknown>, done: ReadCallback): void {
  reply.then(
    (value) => done(true, asText(value)),
    (err: unknown) => done(false, err),
  );
}

/** The adapter's write commands; `after` runs once each is acknowledged, with the key it wrote. */
function writes(client: RedisClientLike, prefix: string, after: (key: string) => void): Omit<WechatStore, 'get' | 'kind'> {
  const barrier = writeBarrier(client);
  return {
    async set(key, value, ttlSeconds) {
      await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds) });
      after(prefix + key);
    },
    // Ends sessions: resolved only once every other connection's invalidation has left the server.
    async destroy(key) {
      await client.del(prefix + key);
      after(prefix + key);
      await barrier(prefix + key);
    },
    async replace(key, value, ttlSeconds) {
      await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds), XX: true });
      after(prefix + key);
    },
    async touch(key, ttlSeconds) {
      await client.expire(prefix + key, wholeSeconds(ttlSeconds));
      after(prefix + key);
    },
    async add(key, value, ttlSeconds) {
      const reply = await client.set(prefix + key, value, { EX: wholeSeconds(ttlSeconds), NX: true });
      after(prefix + key);
      return reply !== null && reply !== undefined;
    },
    async destroyIfEqual(key, expected) {
      const reply = await client.eval(DESTROY_IF_EQUAL_SCRIPT, { keys: [prefix + key], arguments: [expected] });
      after(prefix + key);
      return Number(reply) === 1;
    },
  };
}

const NOTHING = (): void => undefined;

function plainStore(client: RedisClientLike, prefix: string): Built {
  return {
    store: {
      kind: 'redis',
      get: (key) => client.get(prefix + key).then(asText),
      ...writes(client, prefix, NOTHING),
      clientSideCacheStats: () => undefined,
    },
    read: (key, done) => report(client.get(prefix + key), done),
  };
}

/**
 * Reads go through the client's local cache, each after the socket reads of
 * its event-loop turn (see after-poll.ts) and while the connection is proven
 * to deliver invalidations (see redis-freshness.ts). A cached session is read
 * from the client's cache entry directly (see redis-client-cache.ts); only a
 * session not cached yet costs a `GET`.
 */
function cachedStore(client: RedisClientLike, prefix: string, guard: CacheGuard): Built {
  const stats: ClientSideCacheStats = { hits: 0, misses: 0 };
  const read = (key: string, done: ReadCallback): void => {
    afterPollPhase(() => {
      const wait = guard.ready();
      const cached = wait ? undefined : guard.cached(prefix + key);
      if (cached === undefined) {
        stats.misses += 1;
        return report(wait ? wait.then(() => client.get(prefix + key)) : client.get(prefix + key), done);
      }
      stats.hits += 1;
      done(true, cached ?? undefined);
    });
  };
  return {
    store: {
      kind: 'redis',
      get: (key) => new Promise((resolve, reject) => read(key, (ok, result) => (ok ? resolve(result as string | undefined) : reject(result)))),
      ...writes(client, prefix, guard.wrote),
      clientSideCacheStats: () => ({ ...stats }),
    },
    read,
  };
}
