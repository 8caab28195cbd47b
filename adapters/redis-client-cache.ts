import { FreshnessProof } from './redis-freshness.js';

/**
 * What the Redis adapter uses of a node-redis (v5+) client or Cluster
 * created with `clientSideCache`. Duck-typed so the adapter never imports
 * `redis` itself.
 */
export interface ClientSideCacheLike {
  /** Drop `key` (or everything, for `null`) from the local cache. */
  invalidate(key: string | null): void;
  /** The entry cached for a command (by node-redis's cache key), when it is still valid; expired ones are dropped. */
  get?(cacheKey: string): unknown;
}

interface CachingRedisLike {
  clientSideCache?: ClientSideCacheLike;
  ping?(): Promise<unknown>;
  on?(event: string, listener: () => void): unknown;
  /** Cluster only: its master nodes, and the client of one of them. */
  masters?: readonly unknown[];
  nodeClient?(node: unknown): unknown;
}

/** The client-side cache of a Redis client, seen from the store. */
export interface CacheGuard {
  /** Before a read: `undefined` when the cache may be trusted now, else a promise to wait for. */
  ready(): Promise<void> | undefined;
  /** After this process wrote or removed `key`: drop it locally at once. */
  wrote(key: string): void;
  /**
   * What the cache holds for `GET key`: the value, `null` for a key Redis
   * said is absent, or `undefined` when there is nothing to read locally
   * (not cached, still loading, a reply of another type): then send `GET`.
   */
  cached(key: string): string | null | undefined;
}

/**
 * node-redis keys its cache by the command's arguments, each preceded by its
 * length: `GET k` is `3_<length of k>_GET_k`. A cache that keys otherwise
 * (another version) finds nothing under it, and every read goes through
 * `GET`, as it would without this shortcut.
 */
const getCacheKey = (key: string): string => `3_${key.length}_GET_${key}`;

/**
 * Reads of the entry the client cached for `GET key`, the same entry (and
 * the same validity check) node-redis's own `GET` answers a hit with, minus
 * the command's machinery and a copy of the string. Hits read this way are
 * not counted in the cache's `stats()`.
 */
function cachedValues(cache: ClientSideCacheLike): (key: string) => string | null | undefined {
  const get = cache.get;
  if (typeof get !== 'function') return () => undefined;
  return (key) => {
    const entry = get.call(cache, getCacheKey(key)) as { value?: unknown } | undefined;
    if (entry === undefined) return undefined;
    const value = entry.value;
    return typeof value === 'string' || value === null ? value : undefined;
  };
}

/** The client's local cache, when it was created with `clientSideCache` (node-redis 5+ with RESP3). */
export function clientSideCacheOf(client: unknown): ClientSideCacheLike | undefined {
  const cache = (client as CachingRedisLike).clientSideCache;
  return cache && typeof cache.invalidate === 'function' ? cache : undefined;
}

function isCluster(client: CachingRedisLike): boolean {
  return typeof client.nodeClient === 'function' && Array.isArray(client.masters);
}

/** PING every connection whose invalidations the cache relies on: the client's one, or every master's. */
function pingAll(client: CachingRedisLike): () => Promise<unknown> {
  if (!isCluster(client)) {
    return () => (client as { ping(): Promise<unknown> }).ping();
  }
  return () =>
    Promise.all(
      client.masters!.map(async (master) => {
        const node = (await client.nodeClient!(master)) as { ping(): Promise<unknown> };
        return node.ping();
      }),
    );
}

/**
 * Guard the client-side cache of `client`, or `undefined` when it has none.
 *
 * - Reads trust the cache only while the connection proved, within
 *   `maxStaleness` ms, that it still delivers invalidations (see
 *   {@link FreshnessProof}).
 * - On a reconnection the whole cache is dropped again once the new
 *   connection is up, so no value read on the old connection survives the
 *   invalidations it may have missed.
 * - This process's own writes drop the key locally as soon as they are
 *   acknowledged, without waiting for the server's push.
 *
 * @example
 * ```ts
 * const guard = guardClientSideCache(client, 1000);
 * ```
 */
export function guardClientSideCache(client: unknown, maxStaleness: number): CacheGuard | undefined {
  const cache = clientSideCacheOf(client);
  if (!cache) return undefined;
  const redis = client as CachingRedisLike;
  const proof = new FreshnessProof(pingAll(redis), maxStaleness);
  const drop = (): void => {
    cache.invalidate(null);
    proof.reset();
  };
  if (typeof redis.on === 'function') {
    const events = isCluster(redis) ? ['node-reconnecting', 'node-ready'] : ['reconnecting', 'ready'];
    for (const event of events) redis.on(event, drop);
  }
  return {
    ready: () => proof.ready(),
    wrote: (key) => cache.invalidate(key),
    cached: cachedValues(cache),
  };
}
