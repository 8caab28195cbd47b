import { MemoryStore as SessionMemoryStore } from 'express-session';
import { RedisStore } from 'connect-redis';
import memjs from 'memjs';
import { createClient, createCluster } from 'redis';
import { createClient as createClientV4 } from 'redis4';
import { expressSessionStore } from '../../adapters/express-session.js';
import { memcachedStore } from '../../adapters/memcached.js';
import { memcachedKey } from '../../adapters/memcached-key.js';
import { memoryStore } from '../../adapters/memory.js';
import { redisStore } from '../../adapters/redis.js';
import type { WechatStore } from '../../src/store.js';
import { backendFromEnv, type Backend } from '../stores/adapter-cases.js';
import { memcachedTtl } from '../stores/memcached-meta.js';
import { scanCluster, scanMemcached, scanRedis, type Dump } from './server-scan.js';

/**
 * One store for the end-to-end suites, opened on the shared servers with its
 * own key prefix, plus raw access to what the server holds (around the adapter).
 */
export interface E2eStore {
  store: WechatStore;
  /** The key the server holds for a library key (adapter prefix and the like applied). */
  serverKey(key: string): string;
  /** The server's own remaining TTL of a library key, in seconds; absent when the server has none. */
  serverTtl?(key: string): Promise<number>;
  /** Change the server's TTL of a library key (to see a renewal reset it). */
  setServerTtl?(key: string, seconds: number): Promise<void>;
  /** Put `value` under the server key of a library key, bypassing the adapter. */
  writeRaw(key: string, value: string): Promise<void>;
  /** Every key the server holds under this store's prefix, with its raw value. */
  dump(): Promise<Dump>;
  close(): Promise<void>;
}

export interface E2eCase {
  name: string;
  open(prefix: string, backend: Backend): Promise<E2eStore>;
}

const ignore = (): void => undefined;

function memory(prefix: string): Promise<E2eStore> {
  const store = memoryStore({ prefix });
  return Promise.resolve({
    store,
    serverKey: (key) => prefix + key,
    writeRaw: async (key, value) => store.set(key, value, 600), // the memory store keeps values as given
    async dump() {
      const keys = store.keys().filter((k) => k.startsWith(prefix));
      const values = await Promise.all(keys.map((k) => store.get(k.slice(prefix.length))));
      return new Map(keys.map((k, i) => [k, values[i] ?? '']));
    },
    close: async () => undefined,
  });
}

/** The handles of a node-redis 5 client or Cluster; `dump` lists the server's keys. */
function redisE2e(client: ReturnType<typeof createClient> | ReturnType<typeof createCluster>, prefix: string, dump: () => Promise<Dump>): E2eStore {
  return {
    store: redisStore({ client, prefix }),
    serverKey: (key) => prefix + key,
    serverTtl: (key) => client.ttl(prefix + key),
    setServerTtl: async (key, seconds) => void (await client.expire(prefix + key, seconds)),
    writeRaw: async (key, value) => void (await client.set(prefix + key, value, { EX: 600 })),
    dump,
    close: async () => client.destroy(),
  };
}

async function redisV5(prefix: string, backend: Backend): Promise<E2eStore> {
  const client = createClient({ url: backend.redisUrl, disableOfflineQueue: true });
  client.on('error', ignore);
  await client.connect();
  return redisE2e(client, prefix, () => scanRedis(client, prefix));
}

async function redisV4(prefix: string, backend: Backend): Promise<E2eStore> {
  const client = createClientV4({ url: backend.redisUrl, disableOfflineQueue: true });
  client.on('error', ignore);
  await client.connect();
  const scanner = await redisV5(prefix, backend); // SCAN through the current client; commands through v4
  return {
    ...scanner,
    store: redisStore({ client, prefix }),
    serverTtl: (key) => client.ttl(prefix + key),
    close: async () => {
      await scanner.close();
      await client.disconnect();
    },
  };
}

async function cluster(prefix: string, backend: Backend): Promise<E2eStore> {
  const client = createCluster({ rootNodes: backend.clusterNodes.map((a) => ({ url: `redis://${a}` })) });
  client.on('error', ignore);
  await client.connect();
  return redisE2e(client, prefix, () => scanCluster(client, prefix));
}

async function memcached(prefix: string, backend: Backend): Promise<E2eStore> {
  const client = memjs.Client.create(backend.memcachedServers.join(','), { logger: { log: ignore } });
  const serverKey = (key: string) => memcachedKey(prefix, key);
  return {
    store: memcachedStore({ client, prefix }),
    serverKey,
    serverTtl: (key) => memcachedTtl(backend.memcachedServers, serverKey(key)),
    setServerTtl: async (key, seconds) => void (await client.touch(serverKey(key), seconds)),
    writeRaw: async (key, value) => void (await client.set(serverKey(key), value, { expires: 600 })),
    dump: () => scanMemcached(backend.memcachedServers, prefix, async (k) => (await client.get(k)).value),
    close: async () => client.close(),
  };
}

function sessionMemory(prefix: string): Promise<E2eStore> {
  const sessions = new SessionMemoryStore();
  const raw = (sessions as unknown as { sessions: Record<string, string> }).sessions;
  return Promise.resolve({
    store: expressSessionStore(sessions, { prefix }),
    serverKey: (key) => prefix + key,
    writeRaw: async (key, value) => void (raw[prefix + key] = value),
    dump: async () => new Map(Object.entries(raw).filter(([k]) => k.startsWith(prefix))),
    close: async () => undefined,
  });
}

async function connectRedis(prefix: string, backend: Backend): Promise<E2eStore> {
  const client = createClient({ url: backend.redisUrl, disableOfflineQueue: true });
  client.on('error', ignore);
  await client.connect();
  const serverKey = (key: string) => `sess:${prefix}${key}`;
  return {
    store: expressSessionStore(new RedisStore({ client }), { prefix }),
    serverKey,
    serverTtl: (key) => client.ttl(serverKey(key)),
    setServerTtl: async (key, seconds) => void (await client.expire(serverKey(key), seconds)),
    writeRaw: async (key, value) => void (await client.set(serverKey(key), value, { EX: 600 })),
    dump: () => scanRedis(client, `sess:${prefix}`),
    close: async () => client.destroy(),
  };
}

/** Every store the end-to-end lifecycle runs against. */
export const E2E_CASES: readonly E2eCase[] = [
  { name: 'memory store', open: memory },
  { name: 'redis, node-redis v5, single node', open: redisV5 },
  { name: 'redis, node-redis v4, single node', open: redisV4 },
  { name: 'redis Cluster, node-redis v5 createCluster', open: cluster },
  { name: 'memcached, memjs, two servers', open: memcached },
  { name: 'express-session MemoryStore', open: sessionMemory },
  { name: 'express-session connect-redis RedisStore', open: connectRedis },
];

export { backendFromEnv };
