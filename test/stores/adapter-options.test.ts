import { expressSessionStore } from '../../adapters/express-session.js';
import { memcachedStore } from '../../adapters/memcached.js';
import { MEMCACHED_MAX_KEY_BYTES, memcachedExpiry, memcachedKey } from '../../adapters/memcached-key.js';
import { redisStore, type RedisClientLike } from '../../adapters/redis.js';
import { memoryStore } from '../../adapters/memory.js';

/** Start-up validation and the pure key/TTL rules, without a server. */

const commands = { get: async () => null, set: async () => 'OK', expire: async () => 1, del: async () => 1, eval: async () => 0 };
/** Shaped like node-redis (an `isOpen` boolean, `sendCommand`), with no server behind it. */
const fakeRedis = { ...commands, isOpen: false, sendCommand: async () => null };
/** Every method memcachedStore calls, with no server behind them. */
const memjsLike = {
  get: async () => ({ value: null }),
  set: async () => true,
  add: async () => true,
  replace: async () => true,
  delete: async () => true,
  touch: async () => true,
};

test('a missing or wrong client throws a TypeError that names the option, what it got and what is accepted', () => {
  expect(() => redisStore({} as never)).toThrow(TypeError);
  expect(() => redisStore({} as never)).toThrow(/`client`.*got undefined/);
  expect(() => redisStore({ client: { get() {} } as unknown as RedisClientLike })).toThrow(/without set, expire, del, eval\(\)/);
  // Every command, but neither family's shape (a wrapper, a mock): refused rather than guessed at.
  class CustomClient {
    get = commands.get;
    set = commands.set;
    expire = commands.expire;
    del = commands.del;
    eval = commands.eval;
  }
  expect(() => redisStore({ client: new CustomClient() })).toThrow(/got a CustomClient object of neither client's shape/);
  expect(() => redisStore({ client: new CustomClient() })).toThrow(/node-redis.*ioredis or iovalkey/);
  const memjsClient = { get: async () => ({ value: null }), set: async () => true, delete: async () => true };
  expect(() => redisStore({ client: memjsClient as never })).toThrow(TypeError);
  expect(() => redisStore({ client: { ...commands, status: 'ready', call: async () => null } as RedisClientLike })).not.toThrow();
  expect(() => redisStore({ client: fakeRedis })).not.toThrow();
  expect(() => memcachedStore({ client: undefined as never })).toThrow(TypeError);
  expect(() => expressSessionStore(null as never)).toThrow(TypeError);
});

test('a prefix that is not a string, or too long for memcached, throws a TypeError', () => {
  expect(() => redisStore({ client: fakeRedis, prefix: 7 as never })).toThrow(/`prefix`/);
  expect(() => memcachedStore({ client: memjsLike, prefix: 'p'.repeat(207) })).toThrow(/`prefix`/);
  expect(() => memcachedStore({ client: memjsLike, prefix: 'has space:' })).toThrow(/`prefix`/);
  expect(memcachedStore({ client: memjsLike, prefix: 'p'.repeat(206) }).kind).toBe('memcached');
});

test('memcached keys: safe ones kept, others hashed deterministically within 250 bytes', () => {
  expect(memcachedKey('wxs:', 'wx1:s:abc')).toBe('wxs:wx1:s:abc');
  const long = memcachedKey('wxs:', 'k'.repeat(400));
  expect(long).toBe(memcachedKey('wxs:', 'k'.repeat(400)));
  expect(long).toMatch(/^wxs:~[A-Za-z0-9_-]{43}$/);
  expect(memcachedKey('wxs:', `${'k'.repeat(399)}j`)).not.toBe(long);
  expect(memcachedKey('wxs:', 'k'.repeat(246))).toHaveLength(MEMCACHED_MAX_KEY_BYTES);
  expect(memcachedKey('wxs:', 'k'.repeat(247))).toMatch(/^wxs:~/);
  expect(memcachedKey('wxs:', 'é'.repeat(124))).toMatch(/^wxs:~/); // 248 bytes + prefix
  expect(memcachedKey('wxs:', 'a b')).toMatch(/^wxs:~/);
  expect(memcachedKey('wxs:', 'a\u007fb')).toMatch(/^wxs:~/);
  expect(memcachedKey('wxs:', '~x')).toMatch(/^wxs:~[A-Za-z0-9_-]{43}$/);
});

test('memcached TTLs: relative up to 30 days, a Unix time beyond', () => {
  const now = Date.UTC(2030, 0, 1);
  expect(memcachedExpiry(60, now)).toBe(60);
  expect(memcachedExpiry(2_592_000, now)).toBe(2_592_000);
  expect(memcachedExpiry(2_592_001, now)).toBe(now / 1000 + 2_592_001);
  expect(memcachedExpiry(0.3, now)).toBe(1);
});

test('an unknown option of an adapter is refused naming the adapter and the option that was meant', () => {
  const sessions = { get() {}, set() {}, destroy() {} };
  const refusals: [() => unknown, string][] = [
    [() => redisStore({ client: fakeRedis, prefx: 'p:' } as never), 'redisStore: unknown option `prefx` must be left out; did you mean `prefix`?'],
    [
      () => redisStore({ client: fakeRedis, maxStaleneess: 500 } as never),
      'redisStore: unknown option `maxStaleneess` must be left out; did you mean `maxStaleness`?',
    ],
    [() => memcachedStore({ client: memjsLike, Prefix: 'p:' } as never), 'memcachedStore: unknown option `Prefix` must be left out; did you mean `prefix`?'],
    [() => expressSessionStore(sessions, { prefic: 'p:' } as never), 'expressSessionStore: unknown option `prefic` must be left out; did you mean `prefix`?'],
    [() => memoryStore({ maxBytess: 1024 } as never), 'memoryStore: unknown option `maxBytess` must be left out; did you mean `maxBytes`?'],
    [() => memoryStore({ ttl: 60 } as never), 'memoryStore: unknown option `ttl` must be left out'],
  ];
  for (const [start, message] of refusals) {
    expect(start).toThrow(TypeError);
    expect(start).toThrow(message);
  }
  expect(() => memoryStore({ max: 0 })).toThrow('memoryStore: `max` must be');
  expect(() => redisStore({ client: fakeRedis, maxStaleness: -1 })).toThrow('redisStore: `maxStaleness` must be');
  expect(redisStore({ client: fakeRedis, prefix: 'p:', maxStaleness: 500 }).kind).toBe('redis');
});
