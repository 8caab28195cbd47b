import { LRUCache } from 'lru-cache';
import { type Input, positive, refuseUnknown } from '../options/checks.js';
import { DEFAULT_PREFIX, type StoreAdapterOptions, type WechatStore } from '../store.js';

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * const store = memoryStore({ max: 200_000, maxBytes: 128 * 1024 * 1024 });
 * ```
 */
export interface MemoryStoreOptions extends StoreAdapterOptions {
  /** Most entries kept; the least recently used goes first. Default 100 000. */
  max?: number;
  /** Most bytes of keys and values kept (UTF-16 length x 2). Default 64 MiB. */
  maxBytes?: number;
  /** Clock in ms, for tests that move time. Default `performance.now`. */
  now?: () => number;
}

/**
 * The in-memory store (it answers at once, never a promise) with a few extras for tests and introspection.
 *
 * @example
 * ```ts
 * const store: MemoryStore = memoryStore();
 * afterEach(() => store.clear()); // in tests
 * ```
 */
export interface MemoryStore extends WechatStore {
  get(key: string): string | undefined;
  set(key: string, value: string, ttlSeconds: number): void;
  destroy(key: string): void;
  replace(key: string, value: string, ttlSeconds: number): void;
  touch(key: string, ttlSeconds: number): void;
  add(key: string, value: string, ttlSeconds: number): boolean;
  destroyIfEqual(key: string, expected: string): boolean;
  /** Entries currently kept (expired ones may linger until touched). */
  readonly size: number;
  /** Every key currently kept, prefix included. */
  keys(): string[];
  clear(): void;
}

/**
 * The embedded default store: bounded by entries and bytes (lru-cache), each
 * entry expiring on its own TTL. Sessions live in this process only: use
 * Redis or Memcached for more than one.
 *
 * @example
 * ```ts
 * const wechat = { appId, appSecret, store: memoryStore({ max: 50_000 }) };
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  refuseUnknown(options as Input, ['prefix', 'max', 'maxBytes', 'now'], '', 'memoryStore');
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  // One store, one prefix: entries are kept under the key alone, and the prefix is added where keys are
  // shown or counted. A read then looks up the very string it was given, not a new one built per request.
  const cache = new LRUCache<string, string>({
    max: positive(options as Input, 'max', 100_000, 'entries', 'memoryStore'),
    maxSize: positive(options as Input, 'maxBytes', 64 * 1024 * 1024, 'bytes', 'memoryStore'),
    sizeCalculation: (value, key) => (value.length + prefix.length + key.length) * 2,
    ttlAutopurge: false,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  const ms = (ttlSeconds: number) => Math.max(1, ttlSeconds) * 1000;
  const store: MemoryStore = {
    kind: 'memory',
    get size() {
      return cache.size;
    },
    keys: () => [...cache.keys()].map((key) => prefix + key),
    clear: () => cache.clear(),
    get(key) {
      return cache.get(key);
    },
    set(key, value, ttlSeconds) {
      cache.set(key, value, { ttl: ms(ttlSeconds) });
    },
    destroy(key) {
      cache.delete(key);
    },
    replace(key, value, ttlSeconds) {
      if (cache.has(key)) cache.set(key, value, { ttl: ms(ttlSeconds) });
    },
    touch(key, ttlSeconds) {
      const value = cache.get(key);
      if (value !== undefined) cache.set(key, value, { ttl: ms(ttlSeconds) });
    },
    add(key, value, ttlSeconds) {
      if (cache.has(key)) return false;
      cache.set(key, value, { ttl: ms(ttlSeconds) });
      return true;
    },
    destroyIfEqual(key, expected) {
      if (cache.get(key) !== expected) return false;
      cache.delete(key);
      return true;
    },
  };
  return store;
}
