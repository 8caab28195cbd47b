import { MemoryStore as SessionMemoryStore } from 'express-session';
import { RedisStore } from 'connect-redis';
import IoRedis6 from 'ioredis';
import IoRedis5 from 'ioredis5';
import IoValkey from 'iovalkey';
import memjs from 'memjs';
import * as redis6 from 'redis';
import * as redis5 from 'redis5';
import * as redis4 from 'redis4';
import { expressSessionStore } from '../../adapters/express-session.js';
import { memcachedStore } from '../../adapters/memcached.js';
import { memcachedKey } from '../../adapters/memcached-key.js';
import { memoryStore } from '../../adapters/memory.js';
import { redisStore, type RedisClientLike } from '../../adapters/redis.js';
import { DEFAULT_PREFIX, type WechatStore } from '../../src/store.js';
import { scanCluster, scanMemcached, scanRedis, type Dump } from '../store-e2e/server-scan.js';
import { memcachedTtl } from './memcached-meta.js';

/**
 * The one table of stores and clients that the contract suite, the fault
 * suite and the end-to-end lifecycle run against: every adapter, and the
 * Redis adapter on every client major the package supports.
 */

/** Where a case's servers listen. */
export interface Backend {
  redisUrl: string;
  clusterNodes: string[];
  memcachedServers: string[];
}

/** An opened store, plus raw access to what its server holds (around the adapter). */
export interface StoreHandle {
  store: WechatStore;
  /** The key the server holds for a library key (prefix applied, and the like). */
  serverKey(key: string): string;
  /** The raw stored text of a library key. */
  readRaw(key: string): Promise<string | undefined>;
  /** Put `value` under the server key of a library key, bypassing the adapter. */
  writeRaw(key: string, value: string): Promise<void>;
  /** The server's own remaining TTL of a library key, in seconds, where the server has one. */
  serverTtl?(key: string): Promise<number>;
  /** Change the server's TTL of a library key (to see a renewal reset it). */
  setServerTtl?(key: string, seconds: number): Promise<void>;
  /** Every key the server holds under this store's prefix, with its raw value. */
  dump(): Promise<Dump>;
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
const hostPort = (address: string) => ({ host: address.split(':')[0]!, port: Number(address.split(':')[1]) });

/** A client under test and how to close it. */
type Opened = { client: unknown; close(): Promise<unknown> };
type Connect = (backend: Backend, cluster: boolean) => Promise<Opened>;

/** node-redis of any major: `createClient` / `createCluster` from that major's module. */
function nodeRedis(module: typeof redis6 | typeof redis5 | typeof redis4): Connect {
  return async (backend, cluster) => {
    const m = module as typeof redis6;
    const client = cluster
      ? m.createCluster({ rootNodes: backend.clusterNodes.map((a) => ({ url: `redis://${a}` })) })
      : m.createClient({ url: backend.redisUrl });
    client.on('error', ignore);
    await client.connect();
    return { client, close: () => (client as { disconnect(): Promise<void> }).disconnect() };
  };
}

/** ioredis or iovalkey: `new Redis(url)` / `new Redis.Cluster(nodes)`. */
function ioRedis(Redis: typeof IoRedis6): Connect {
  return async (backend, cluster) => {
    const client = cluster ? new Redis.Cluster(backend.clusterNodes.map(hostPort)) : new Redis(backend.redisUrl);
    client.on('error', ignore);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('end', () => reject(new Error('ioredis client ended before it was ready')));
    });
    return { client, close: async () => client.disconnect() };
  };
}

/** A node-redis 6 client (or Cluster) for raw access around the adapter. */
async function rawRedis(backend: Backend, cluster: boolean) {
  const raw = cluster
    ? redis6.createCluster({ rootNodes: backend.clusterNodes.map((a) => ({ url: `redis://${a}` })) })
    : redis6.createClient({ url: backend.redisUrl });
  raw.on('error', ignore);
  await raw.connect();
  return raw;
}

/**
 * A Redis-backed case: the Redis adapter on the client `connect` makes, or
 * (`viaConnectRedis`) connect-redis 11 through the express-session adapter,
 * which keeps sessions under its own `sess:` prefix. Raw access goes through node-redis 6.
 */
function redisCase(connect: Connect, cluster: boolean, viaConnectRedis = false) {
  return async (backend: Backend, prefix = DEFAULT_PREFIX): Promise<StoreHandle> => {
    const [opened, raw] = await Promise.all([connect(backend, cluster), rawRedis(backend, cluster)]);
    const pattern = viaConnectRedis ? `sess:${prefix}` : prefix;
    const serverKey = (key: string) => pattern + key;
    const { client } = opened;
    return {
      store: viaConnectRedis ? expressSessionStore(new RedisStore({ client }), { prefix }) : redisStore({ client: client as RedisClientLike, prefix }),
      serverKey,
      readRaw: async (key) => text(await raw.get(serverKey(key))),
      writeRaw: async (key, value) => void (await raw.set(serverKey(key), value, { EX: 600 })),
      serverTtl: (key) => raw.ttl(serverKey(key)),
      setServerTtl: async (key, seconds) => void (await raw.expire(serverKey(key), seconds)),
      dump: () => (cluster ? scanCluster(raw as never, pattern) : scanRedis(raw as never, pattern)),
      close: async () => {
        await opened.close();
        raw.destroy();
      },
    };
  };
}

async function memory(_backend: Backend, prefix = DEFAULT_PREFIX): Promise<StoreHandle> {
  const store = memoryStore({ prefix });
  const own = (key: string) => key.slice(prefix.length);
  return {
    store,
    serverKey: (key) => prefix + key,
    readRaw: async (key) => (await store.get(key)) ?? undefined,
    writeRaw: async (key, value) => store.set(key, value, 600), // the memory store keeps values as given
    async dump() {
      const keys = store.keys();
      const values = await Promise.all(keys.map((k) => store.get(own(k))));
      return new Map(keys.map((k, i) => [k, values[i] ?? '']));
    },
    close: async () => undefined,
  };
}

async function memcached(backend: Backend, prefix = DEFAULT_PREFIX): Promise<StoreHandle> {
  const client = memjs.Client.create(backend.memcachedServers.join(','), { logger: { log: ignore } });
  const serverKey = (key: string) => memcachedKey(prefix, key);
  return {
    store: memcachedStore({ client, prefix }),
    serverKey,
    readRaw: async (key) => text((await client.get(serverKey(key))).value),
    writeRaw: async (key, value) => void (await client.set(serverKey(key), value, { expires: 600 })),
    serverTtl: (key) => memcachedTtl(backend.memcachedServers, serverKey(key)),
    setServerTtl: async (key, seconds) => void (await client.touch(serverKey(key), seconds)),
    dump: () => scanMemcached(backend.memcachedServers, prefix, async (k) => (await client.get(k)).value),
    close: async () => client.close(),
  };
}

async function sessionMemory(_backend: Backend, prefix = DEFAULT_PREFIX): Promise<StoreHandle> {
  const sessions = new SessionMemoryStore();
  const raw = (sessions as unknown as { sessions: Record<string, string | undefined> }).sessions;
  return {
    store: expressSessionStore(sessions, { prefix }),
    serverKey: (key) => prefix + key,
    readRaw: async (key) => raw[prefix + key],
    writeRaw: async (key, value) => void (raw[prefix + key] = value),
    dump: async () => new Map(Object.entries(raw).filter((e): e is [string, string] => e[0].startsWith(prefix) && e[1] !== undefined)),
    close: async () => undefined,
  };
}

const REDIS = { expiryWaitMs: 1200, atomicAdd: true } as const;
const redisCases = (label: string, connect: Connect, withCluster: boolean): StoreCase[] => [
  { name: `redis, ${label}, single node`, uses: 'redis', ...REDIS, open: redisCase(connect, false) },
  ...(withCluster ? [{ name: `redis, ${label}, Cluster`, uses: 'cluster' as const, ...REDIS, open: redisCase(connect, true) }] : []),
];

/** Every store and client the suites run against. */
export const STORE_CASES: readonly StoreCase[] = [
  { name: 'memory store', uses: 'none', expiryWaitMs: 1200, atomicAdd: true, open: memory },
  ...redisCases('node-redis 6', nodeRedis(redis6), true),
  ...redisCases('node-redis 5', nodeRedis(redis5), true),
  ...redisCases('node-redis 4', nodeRedis(redis4), true),
  ...redisCases('ioredis 6', ioRedis(IoRedis6), true),
  ...redisCases('ioredis 5', ioRedis(IoRedis5 as unknown as typeof IoRedis6), false),
  ...redisCases('iovalkey', ioRedis(IoValkey as unknown as typeof IoRedis6), false),
  { name: 'memcached, memjs, two servers', uses: 'memcached', expiryWaitMs: 2100, atomicAdd: true, open: memcached },
  { name: 'express-session MemoryStore', uses: 'none', expiryWaitMs: 1200, atomicAdd: false, open: sessionMemory },
  { name: 'express-session connect-redis 11', uses: 'redis', expiryWaitMs: 1200, atomicAdd: false, open: redisCase(nodeRedis(redis6), false, true) },
];

/** The case named `name` (a typo fails loudly). */
export function storeCase(name: string): StoreCase {
  const found = STORE_CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no store case named ${name}`);
  return found;
}
