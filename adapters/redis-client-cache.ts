import { FreshnessProof } from './redis-freshness.js';

/**
 * What the Redis adapter uses of a node-redis (v5+) client or Cluster
 * created with `clientSideCache`. Duck-typed so the adapter never imports
 * `redis` itself.
 */
export interface ClientSideCacheLike {
  /** Drop `key` (or everything, for `null`) from the local cache. */
  invalidate(key: string | null): void;
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
  };
}
