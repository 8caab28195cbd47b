import { MemoryStore as SessionMemoryStore } from 'express-session';
import { RedisStore } from 'connect-redis';
import memjs from 'memjs';
import { createClient, createCluster } from 'redis';
import { createClient as createClientV4 } from 'redis4';
import { expressSessionStore } from '../../adapters/express-session.js';
import { memcachedStore } from '../../adapters/memcached.js';
import { memcachedKey } from '../../adapters/memcached-key.js';
import { redisStore, type RedisClientLike } from '../../adapters/redis.js';
import type { WechatStore } from '../../src/store.js';
import { memcachedTtl } from './memcached-meta.js';

/** Where a case's servers listen. */
export interface Backend {
  redisUrl: string;
  clusterNodes: string[];
  memcachedServers: string[];
}

/** An opened store plus raw access to what it wrote. */
export interface StoreHandle {
  store: WechatStore;
  /** The raw stored text for `key` written with `prefix`, read around the adapter. */
  readRaw(prefix: string, key: string): Promise<string | undefined>;
  /** The server's own remaining TTL in seconds, where the server has one. */
  serverTtl?(prefix: string, key: string): Promise<number>;
  close(): Promise<void>;
}

export interface StoreCase {
  name: string;
  /** Which servers it needs (`none`: in-process). */
  uses: 'redis' | 'cluster' | 'memcached' | 'none';
  /** How long after a 1 s TTL the key is surely gone (memcached counts whole seconds). */
  expiryWaitMs: number;
  /** `add` is atomic against concurrent callers. */
  atomicAdd: boolean;
  open(backend: Backend, prefix?: string): Promise<StoreHandle>;
}

export function backendFromEnv(): Backend {
  const { REDIS_URL, REDIS_CLUSTER_NODES, MEMCACHED_SERVERS } = process.env;
  if (!REDIS_URL || !REDIS_CLUSTER_NODES || !MEMCACHED_SERVERS) {
    throw new Error('REDIS_URL, REDIS_CLUSTER_NODES and MEMCACHED_SERVERS are unset: run through jest (globalSetup starts the servers)');
  }
  return { redisUrl: REDIS_URL, clusterNodes: REDIS_CLUSTER_NODES.split(','), memcachedServers: MEMCACHED_SERVERS.split(',') };
}

const text = (reply: unknown): string | undefined => (reply === null || reply === undefined ? undefined : String(reply));
const ignore = (): void => undefined;

/** What the contract suite reads from any node-redis client (v4, v5, Cluster). */
interface RedisReader {
  get(key: string): Promise<unknown>;
  ttl(key: string): Promise<number>;
}

function redisHandle(client: RedisReader & RedisClientLike, prefix: string | undefined, close: () => Promise<unknown>): StoreHandle {
  return {
    store: redisStore({ client, prefix }),
    readRaw: async (p, key) => text(await client.get(p + key)),
    serverTtl: (p, key) => client.ttl(p + key),
    close: async () => void (await close()),
  };
}

async function redisV5(backend: Backend, prefix?: string): Promise<StoreHandle> {
  const client = createClient({ url: backend.redisUrl });
  client.on('error', ignore);
  await client.connect();
  return redisHandle(client, prefix, async () => client.destroy());
}

async function clusterV5(backend: Backend, prefix?: string): Promise<StoreHandle> {
  const cluster = createCluster({ rootNodes: backend.clusterNodes.map((a) => ({ url: `redis://${a}` })) });
  cluster.on('error', ignore);
  await cluster.connect();
  return redisHandle(cluster, prefix, async () => cluster.destroy());
}

async function redisV4(backend: Backend, prefix?: string): Promise<StoreHandle> {
  const client = createClientV4({ url: backend.redisUrl });
  client.on('error', ignore);
  await client.connect();
  return redisHandle(client, prefix, () => client.disconnect());
}

async function memcached(backend: Backend, prefix?: string): Promise<StoreHandle> {
  const client = memjs.Client.create(backend.memcachedServers.join(','), { logger: { log: ignore } });
  return {
    store: memcachedStore({ client, prefix }),
    readRaw: async (p, key) => text((await client.get(memcachedKey(p, key))).value),
    serverTtl: (p, key) => memcachedTtl(backend.memcachedServers, memcachedKey(p, key)),
    close: async () => client.close(),
  };
}

async function sessionMemory(_backend: Backend, prefix?: string): Promise<StoreHandle> {
  const sessions = new SessionMemoryStore();
  const raw = (sessions as unknown as { sessions: Record<string, string | undefined> }).sessions;
  return {
    store: expressSessionStore(sessions, { prefix }),
    readRaw: async (p, key) => raw[p + key],
    close: async () => undefined,
  };
}

async function connectRedis(backend: Backend, prefix?: string): Promise<StoreHandle> {
  const client = createClient({ url: backend.redisUrl });
  client.on('error', ignore);
  await client.connect();
  return {
    store: expressSessionStore(new RedisStore({ client }), { prefix }),
    readRaw: async (p, key) => text(await client.get(`sess:${p}${key}`)),
    serverTtl: (p, key) => client.ttl(`sess:${p}${key}`),
    close: async () => client.destroy(),
  };
}

/** Every adapter and client the lifecycle suite runs against. */
export const STORE_CASES: readonly StoreCase[] = [
  { name: 'redis (node-redis v5, single node)', uses: 'redis', expiryWaitMs: 1200, atomicAdd: true, open: redisV5 },
  { name: 'redis (node-redis v5, Cluster)', uses: 'cluster', expiryWaitMs: 1200, atomicAdd: true, open: clusterV5 },
  { name: 'redis (node-redis v4, single node)', uses: 'redis', expiryWaitMs: 1200, atomicAdd: true, open: redisV4 },
  { name: 'memcached (memjs, 2 servers)', uses: 'memcached', expiryWaitMs: 2100, atomicAdd: true, open: memcached },
  { name: 'express-session MemoryStore', uses: 'none', expiryWaitMs: 1200, atomicAdd: false, open: sessionMemory },
  { name: 'express-session connect-redis', uses: 'redis', expiryWaitMs: 1200, atomicAdd: false, open: connectRedis },
];
