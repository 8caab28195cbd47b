import { randomBytes } from 'node:crypto';
import type { GuardedStore } from './guarded-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds a lock is held at most, should its owner die holding it. */
const LEASE_SECONDS = 5;
/** How long to wait for a lock before going ahead without it, ms. */
const WAIT_MS = 2000;

/**
 * Run `work` while holding a short lock on `key` in the store (atomic
 * set-if-absent with an owner and a lease, released only by its owner), so
 * that read-modify-write updates of one key from several processes do not
 * overwrite each other. Stores without atomic primitives, and a lock that is
 * not freed in time, run `work` unlocked.
 */
export async function withKeyLock<T>(store: GuardedStore, key: string, work: () => Promise<T>): Promise<T> {
  const owner = randomBytes(12).toString('base64url');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const acquired = store.add(key, owner, LEASE_SECONDS);
    if (acquired === undefined) return work();
    if (await acquired) {
      try {
        return await work();
      } finally {
        await store.destroyIfEqual(key, owner)?.catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) return work();
    await sleep(5 + Math.random() * 20);
  }
}
