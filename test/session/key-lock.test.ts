import { memoryStore, type MemoryStore } from '../../adapters/memory.js';
import { GuardedStore } from '../../src/session/guarded-store.js';
import { withKeyLock } from '../../src/session/key-lock.js';
import type { WechatStore } from '../../src/index.js';

/** withKeyLock on the memory store, which has the atomic add and compare-and-delete the lock is built on. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const guarded = (store: WechatStore) => new GuardedStore(store, 1000, () => undefined);
const KEY = 'wx:l:oLock';

/** The memory store, with every add() it is asked for written down. */
function recorded(): { inner: MemoryStore; store: GuardedStore; adds: [string, string, number][] } {
  const inner = memoryStore();
  const adds: [string, string, number][] = [];
  const store = guarded({ ...inner, add: (key, value, ttl) => (adds.push([key, value, ttl]), inner.add(key, value, ttl)) });
  return { inner, store, adds };
}

describe('withKeyLock', () => {
  it('holds the key with its own owner and a lease in whole seconds while the work runs, and frees it after', async () => {
    const { inner, store, adds } = recorded();
    let held: string | undefined;
    const result = await withKeyLock(store, KEY, { leaseMs: 2500, waitMs: 100 }, async () => {
      held = inner.get(KEY);
      return 'done';
    });
    expect(result).toBe('done');
    expect(adds).toEqual([[KEY, held, 3]]);
    expect(held).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(inner.get(KEY)).toBeUndefined();
  });

  it('gives each call its own owner, and frees the key when the work throws', async () => {
    const { inner, store, adds } = recorded();
    await withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 100 }, async () => undefined);
    await expect(withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 100 }, async () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
    expect(adds).toHaveLength(2);
    expect(adds[0]![1]).not.toBe(adds[1]![1]);
    expect(adds.map(([, , ttl]) => ttl)).toEqual([1, 1]);
    expect(inner.get(KEY)).toBeUndefined();
  });

  it('waits for another owner to free the key, then takes it', async () => {
    const { inner, store } = recorded();
    inner.set(KEY, 'someone-else', 60);
    setTimeout(() => inner.destroyIfEqual(KEY, 'someone-else'), 80);
    const expired: number[] = [];
    let during: string | undefined;
    const result = await withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 2000, onWaitExpired: () => expired.push(1) }, async () => {
      during = inner.get(KEY);
      return 7;
    });
    expect(result).toBe(7);
    expect(during).toBeDefined();
    expect(during).not.toBe('someone-else');
    expect(expired).toEqual([]);
    expect(inner.get(KEY)).toBeUndefined();
  });

  it("runs the work unlocked, and says so, when the key is not freed in time; it leaves the other owner's lock alone", async () => {
    const { inner, store, adds } = recorded();
    inner.set(KEY, 'someone-else', 60);
    const expired: number[] = [];
    let ran = 0;
    const result = await withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 60, onWaitExpired: () => expired.push(ran) }, async () => ++ran);
    expect(result).toBe(1);
    expect(expired).toEqual([0]);
    expect(adds.length).toBeGreaterThan(1);
    expect(inner.get(KEY)).toBe('someone-else');
    await expect(withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 30 }, async () => 'no callback')).resolves.toBe('no callback');
  });

  it('ends the wait with what whileWaiting produces, without running the work', async () => {
    const { inner, store } = recorded();
    inner.set(KEY, 'someone-else', 60);
    let asked = 0;
    let ran = false;
    const whileWaiting = async () => (++asked < 3 ? undefined : 'theirs');
    const result = await withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 2000, whileWaiting }, async () => {
      ran = true;
      return 'mine';
    });
    expect(result).toBe('theirs');
    expect(asked).toBe(3);
    expect(ran).toBe(false);
    expect(inner.get(KEY)).toBe('someone-else');
  });

  it('runs the work at once on a store without add, and without waiting', async () => {
    const inner = memoryStore();
    const store = guarded({ get: inner.get, set: inner.set, destroy: inner.destroy });
    const expired: number[] = [];
    inner.set(KEY, 'someone-else', 60);
    const result = await withKeyLock(
      store,
      KEY,
      { leaseMs: 1000, waitMs: 50, onWaitExpired: () => expired.push(1), whileWaiting: async () => 'never' },
      async () => 'plain',
    );
    expect(result).toBe('plain');
    expect(expired).toEqual([]);
  });

  it("keeps the work's result when freeing the key fails or the store cannot compare-and-delete", async () => {
    const inner = memoryStore();
    const failing = guarded({ ...inner, destroyIfEqual: () => Promise.reject(new Error('store down')) });
    await expect(withKeyLock(failing, KEY, { leaseMs: 1000, waitMs: 50 }, async () => 'kept')).resolves.toBe('kept');
    const other = memoryStore();
    const { destroyIfEqual: _unused, ...withoutCompare } = other;
    await expect(withKeyLock(guarded(withoutCompare), KEY, { leaseMs: 1000, waitMs: 50 }, async () => 'kept too')).resolves.toBe('kept too');
    expect(other.get(KEY)).toBeDefined(); // left to its lease
  });

  it('lets a second caller in only after the first is done', async () => {
    const { store } = recorded();
    const order: string[] = [];
    const first = withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 2000 }, async () => {
      order.push('first in');
      await sleep(60);
      order.push('first out');
    });
    await sleep(5);
    const second = withKeyLock(store, KEY, { leaseMs: 1000, waitMs: 2000 }, async () => {
      order.push('second in');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });
});
