import Redis from 'ioredis';
import memjs from 'memjs';
import { createClient } from 'redis';
import { memcachedStore } from '../../adapters/memcached.js';
import { redisStore } from '../../adapters/redis.js';
import type { WechatStore } from '../../src/store.js';
import type { Backend, StoreCase } from '../stores/store-cases.js';

/** A store on private servers, with the client settings under test. */
export interface FaultCase {
  name: string;
  uses: StoreCase['uses'];
  open(backend: Backend): Promise<{ store: WechatStore; close(): Promise<void> }>;
}

const ignore = (): void => undefined;

/**
 * node-redis settings the README recommends: commands sent while the client
 * is reconnecting fail at once (no offline queue that could replay them
 * later), reconnection retries quickly with a cap, and a connection attempt
 * gives up after a second.
 */
export const RECOMMENDED_REDIS = {
  disableOfflineQueue: true,
  socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
} as const;

/**
 * ioredis (and iovalkey) settings the README recommends: commands sent
 * while the client is reconnecting fail at once instead of waiting in the
 * offline queue, a command in flight when the connection drops is not
 * retried on the next one, reconnection retries quickly with a cap, and a
 * connection attempt gives up after a second.
 */
export const RECOMMENDED_IOREDIS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 1000,
  retryStrategy: (times: number) => Math.min(50 * 2 ** times, 1000),
} as const;

/** memjs settings the README recommends: fail an operation after 250 ms, no retry (the library answers 503). */
export const RECOMMENDED_MEMJS = { timeout: 0.25, conntimeout: 0.5, retries: 0, keepAlive: true } as const;

async function redisWith(backend: Backend, settings: object): Promise<{ store: WechatStore; close(): Promise<void> }> {
  const client = createClient({ url: backend.redisUrl, ...settings });
  client.on('error', ignore);
  await client.connect();
  return { store: redisStore({ client }), close: async () => client.destroy() };
}

async function ioredisWith(backend: Backend, settings: object): Promise<{ store: WechatStore; close(): Promise<void> }> {
  const client = new Redis(backend.redisUrl, settings);
  client.on('error', ignore);
  await new Promise((resolve) => client.once('ready', resolve));
  return { store: redisStore({ client }), close: async () => client.disconnect() };
}

async function memjsWith(backend: Backend, settings: object): Promise<{ store: WechatStore; close(): Promise<void> }> {
  const client = memjs.Client.create(backend.memcachedServers.join(','), { logger: { log: ignore }, ...settings });
  return { store: memcachedStore({ client }), close: async () => client.close() };
}

/** The stores the fault suite stops and restarts, each with recommended and default client settings. */
export const FAULT_CASES: readonly FaultCase[] = [
  { name: 'redis, node-redis 6, recommended settings', uses: 'redis', open: (b) => redisWith(b, RECOMMENDED_REDIS) },
  { name: 'redis, node-redis 6, default settings', uses: 'redis', open: (b) => redisWith(b, {}) },
  { name: 'redis, ioredis 6, recommended settings', uses: 'redis', open: (b) => ioredisWith(b, RECOMMENDED_IOREDIS) },
  { name: 'redis, ioredis 6, default settings', uses: 'redis', open: (b) => ioredisWith(b, {}) },
  { name: 'memcached x2, memjs, recommended settings', uses: 'memcached', open: (b) => memjsWith(b, RECOMMENDED_MEMJS) },
  { name: 'memcached x2, memjs, default settings', uses: 'memcached', open: (b) => memjsWith(b, {}) },
];
