import type { StoreAdapterOptions, WechatStore } from '../src/store.js';
import { Description, fail } from '../src/options/checks.js';
import { adapterOptions, asText, resolvePrefix, wholeSeconds } from './adapter-options.js';
import { guardClientSideCache } from './redis-client-cache.js';

/**
 * The commands both client families spell alike. `set` and `eval` take
 * their options differently (node-redis an object, ioredis positional
 * tokens), so they are declared loosely here and called per family.
 * Declared here so that an app never needs either package's types.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * await client.connect();
 * const store = redisStore({ client }); // node-redis, ioredis and iovalkey clients all fit
 * ```
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  set(...args: never): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(...args: never): Promise<unknown>;
}

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * const store = redisStore({ client, prefix: 'shop:', maxStaleness: 500 });
 * ```
 */
export interface RedisStoreOptions extends StoreAdapterOptions {
  /**
   * A client you create, connect and close: node-redis 4, 5 or 6
   * (`createClient()`, `createCluster()`), or ioredis 5 or 6 / iovalkey
   * (`new Redis()`, `new Redis.Cluster()`).
   */
  client: RedisClientLike;
  /**
   * Only for a node-redis client created with `RESP: 3` and
   * `clientSideCache`: the most milliseconds a cached session may lag a
   * revocation made elsewhere when the connection silently stops delivering
   * Redis's invalidations (a partition, a stalled server). Default 1000.
   */
  maxStaleness?: number;
}

/**
 * The Redis store.
 *
 * @example
 * ```ts
 * const store: RedisWechatStore = redisStore({ client });
 * const wechat = wechatSession({ appId, appSecret, store });
 * ```
 */
export type RedisWechatStore = WechatStore;

/** Delete KEYS[1] only when it holds ARGV[1]: 1 when deleted, else 0. One key, so any Cluster slot will do. */
const DESTROY_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** `SET key value EX ttl [NX|XX]` and the compare-and-delete script, as one client family spells them. */
interface Dialect {
  set(key: string, value: string, ttl: number, only?: 'NX' | 'XX'): Promise<unknown>;
  destroyIfEqual(key: string, expected: string): Promise<unknown>;
}

type Loose = Record<string, unknown> & { [command: string]: (...args: unknown[]) => Promise<unknown> };

const METHODS = ['get', 'set', 'expire', 'del', 'eval'] as const;
const ACCEPTED =
  'a node-redis client (createClient() or createCluster(), redis 4 to 6) ' + 'or an ioredis or iovalkey client (new Redis() or new Redis.Cluster())';

const hasMethods = (c: Loose): boolean => METHODS.every((m) => typeof c[m] === 'function');
/** node-redis 4–6, client and Cluster: `isOpen` is a boolean getter, options are objects. */
const isNodeRedis = (c: Loose): boolean => typeof c.isOpen === 'boolean' && typeof c.sendCommand === 'function';
/** ioredis and iovalkey, client and Cluster: a `status` string and the generic `call`. */
const isIoRedis = (c: Loose): boolean => typeof c.status === 'string' && typeof c.call === 'function';

/** node-redis 4–6, client and Cluster (a Cluster has `masters`). */
function nodeRedis(c: Loose): Dialect {
  const cluster = Array.isArray(c.masters);
  return {
    set: (key, value, ttl, only) => c.set(key, value, only ? { EX: ttl, [only]: true } : { EX: ttl }),
    // A Cluster is handed the key that routes the script: node-redis 4's Cluster `eval` finds no key in its
    // arguments and sends the script to a random master, which answers MOVED until the retries run out.
    destroyIfEqual: (key, expected) =>
      cluster ? c.sendCommand(key, false, ['EVAL', DESTROY_IF_EQUAL, '1', key, expected]) : c.eval(DESTROY_IF_EQUAL, { keys: [key], arguments: [expected] }),
  };
}

function ioRedis(c: Loose): Dialect {
  return {
    set: (key, value, ttl, only) => (only ? c.set(key, value, 'EX', ttl, only) : c.set(key, value, 'EX', ttl)),
    destroyIfEqual: (key, expected) => c.eval(DESTROY_IF_EQUAL, 1, key, expected),
  };
}

/** What a wrong `client` is, for the error message. */
function describe(client: unknown): string {
  if (client === null || typeof client !== 'object') return client === undefined ? 'undefined' : `${typeof client} ${String(client)}`;
  const name = (client as { constructor?: { name?: unknown } }).constructor?.name;
  const kind = typeof name === 'string' && name !== 'Object' ? `a ${name} object` : 'an object';
  const missing = METHODS.filter((m) => typeof (client as Loose)[m] !== 'function');
  return missing.length > 0 ? `${kind} without ${missing.join(', ')}()` : `${kind} of neither client's shape`;
}

/** The client's family, or a TypeError naming what was given and what is accepted. */
function dialectOf(client: unknown): Dialect {
  const c = client as Loose;
  if (typeof client === 'object' && client !== null && hasMethods(c)) {
    if (isNodeRedis(c)) return nodeRedis(c);
    if (isIoRedis(c)) return ioRedis(c);
  }
  return fail('client', ACCEPTED, new Description(describe(client)), 'redisStore');
}

function staleness(value: unknown): number {
  if (value === undefined) return 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail('maxStaleness', 'a positive number of milliseconds', value, 'redisStore');
  return value;
}

/**
 * A session store on Redis (or Valkey), one node or a Cluster, through
 * node-redis 4–6, ioredis 5–6 or iovalkey; the adapter imports none of them.
 * Expiry is the server's own (`SET … EX`, `EXPIRE`); renewals overwrite
 * only a key that still exists (`SET … XX`); `add` is `SET … NX EX` and
 * `destroyIfEqual` one Lua script, both atomic. Every command touches a
 * single key, so keys may live in any Cluster slot. Resolving a session
 * costs one `GET`. A failed command rejects with the client's own error.
 *
 * With a node-redis (5+) client created with `RESP: 3` and
 * `clientSideCache`, sessions are read from the client's cache, which
 * Redis keeps current (server-assisted client-side caching): see
 * redis-client-cache.ts and `maxStaleness`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStore } from 'express-wechat-session/adapters/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (err) => console.error('redis', err.message));
 * await client.connect();
 * const store = redisStore({ client, prefix: 'wxs:' });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisWechatStore {
  const given = adapterOptions('redisStore', options, ['client', 'prefix', 'maxStaleness']) as Partial<RedisStoreOptions>;
  const dialect = dialectOf(given.client);
  const client = given.client as RedisClientLike;
  const prefix = resolvePrefix('redisStore', given.prefix);
  const guard = guardClientSideCache(client, staleness(given.maxStaleness));
  const read = (key: string): Promise<unknown> => client.get(key);
  const get = guard ? (key: string) => guard.read(() => read(key)) : read;
  const wrote = guard ? guard.wrote : (): void => undefined;
  return {
    kind: 'redis',
    async get(key) {
      return asText(await get(prefix + key));
    },
    async set(key, value, ttlSeconds) {
      await dialect.set(prefix + key, value, wholeSeconds(ttlSeconds));
      wrote(prefix + key);
    },
    async replace(key, value, ttlSeconds) {
      await dialect.set(prefix + key, value, wholeSeconds(ttlSeconds), 'XX');
      wrote(prefix + key);
    },
    async add(key, value, ttlSeconds) {
      const reply = await dialect.set(prefix + key, value, wholeSeconds(ttlSeconds), 'NX');
      wrote(prefix + key);
      return reply !== null && reply !== undefined;
    },
    async touch(key, ttlSeconds) {
      await client.expire(prefix + key, wholeSeconds(ttlSeconds));
    },
    async destroy(key) {
      await client.del(prefix + key);
      await guard?.ended(prefix + key);
    },
    async destroyIfEqual(key, expected) {
      const reply = await dialect.destroyIfEqual(prefix + key, expected);
      await guard?.ended(prefix + key);
      return Number(reply) === 1;
    },
  };
}
