import { randomBytes } from 'node:crypto';
import type { GuardedStore } from './guarded-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface KeyLockSettings {
  /** How long the lock is held at most, should its owner die holding it, ms. */
  leaseMs: number;
  /** How long to wait for the lock before going ahead without it, ms. */
  waitMs: number;
  /**
   * Asked between two tries while another owner holds the lock: a result
   * ends the wait with it (what the other owner produced, say).
   */
  whileWaiting?: () => Promise<unknown>;
  /** Told when the wait ran out and `work` runs unlocked. */
  onWaitExpired?: () => void;
}

/**
 * Run `work` while holding a lock on `key` in the store (atomic
 * set-if-absent with an owner and a lease, released only by its owner by
 * compare-and-delete), so read-modify-write updates of one key from several
 * processes do not overwrite each other. Stores without atomic primitives,
 * and a lock that is not freed in time, run `work` unlocked.
 */
export async function withKeyLock<T>(store: GuardedStore, key: string, settings: KeyLockSettings, work: () => Promise<T>): Promise<T> {
  const owner = randomBytes(12).toString('base64url');
  const deadline = Date.now() + settings.waitMs;
  for (;;) {
    const acquired = store.add(key, owner, Math.ceil(settings.leaseMs / 1000));
    if (acquired === undefined) return work();
    if (await acquired) {
      try {
        return await work();
      } finally {
        await store.destroyIfEqual(key, owner)?.catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) break;
    await sleep(5 + Math.random() * 20);
    const produced = await settings.whileWaiting?.();
    if (produced !== undefined) return produced as T;
  }
  settings.onWaitExpired?.();
  return work();
}
