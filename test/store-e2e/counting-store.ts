import type { WechatStore } from '../../src/store.js';

/** One call the library made on the store. */
export interface StoreCall {
  method: string;
  key: string;
}

const WRITES = new Set(['set', 'replace', 'touch', 'add', 'destroy', 'destroyIfEqual']);
const METHODS = new Set(['get', ...WRITES]);

/** The real store behind a proxy that records every call, then forwards it unchanged. */
export interface CountingStore {
  store: WechatStore;
  calls: StoreCall[];
  /** Calls that change the store (set, replace, touch, add, destroy, destroyIfEqual), optionally only on `key`. */
  writes(key?: string): StoreCall[];
  reset(): void;
}

/**
 * Wrap a real store so a test can count the calls the library makes on it.
 * Nothing is faked: every call reaches the real store with its arguments.
 *
 * @example
 * ```ts
 * const counting = countingStore(redisStore({ client }));
 * // … requests …
 * expect(counting.writes()).toEqual([]);
 * ```
 */
export function countingStore(inner: WechatStore): CountingStore {
  const calls: StoreCall[] = [];
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (key: string, ...rest: unknown[]) => {
        calls.push({ method: property, key });
        return (value as (...args: unknown[]) => unknown).call(target, key, ...rest);
      };
    },
  });
  return {
    store,
    calls,
    writes: (key) => calls.filter((c) => WRITES.has(c.method) && (key === undefined || c.key === key)),
    reset: () => void calls.splice(0),
  };
}
