import { StoreUnavailableError } from '../errors.js';
import type { WechatStore } from '../store.js';

/** Told of every failed store call: which operation, and whether it timed out. */
export type StoreFailureListener = (operation: string, timedOut: boolean) => void;

/**
 * A store whose every call settles within `timeoutMs` and rejects only with
 * `StoreUnavailableError`, so a stalled or broken store answers 503 instead
 * of hanging the request.
 */
export class GuardedStore {
  constructor(
    readonly inner: WechatStore,
    private readonly timeoutMs: number,
    private readonly onFailure?: StoreFailureListener,
  ) {}

  get(key: string): Promise<string | null | undefined> {
    return this.guard('get', () => this.inner.get(key));
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.guard('set', () => this.inner.set(key, value, ttlSeconds));
  }

  destroy(key: string): Promise<void> {
    return this.guard('destroy', () => this.inner.destroy(key));
  }

  /** Overwrite an existing key only; plain `set` when the store cannot do it atomically. */
  replace(key: string, value: string, ttlSeconds: number): Promise<void> {
    const { inner } = this;
    if (!inner.replace) return this.set(key, value, ttlSeconds);
    return this.guard('replace', () => inner.replace!(key, value, ttlSeconds));
  }

  /** Renew an existing key's expiry; `undefined` when the store has no `touch`. */
  touch(key: string, ttlSeconds: number): Promise<void> | undefined {
    const { inner } = this;
    return inner.touch ? this.guard('touch', () => inner.touch!(key, ttlSeconds)) : undefined;
  }

  /** Atomic set-if-absent; `undefined` when the store cannot do it atomically. */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean> | undefined {
    const { inner } = this;
    return inner.add ? this.guard('add', () => inner.add!(key, value, ttlSeconds)) : undefined;
  }

  /** Atomic compare-and-delete; `undefined` when the store cannot do it. */
  destroyIfEqual(key: string, expected: string): Promise<boolean> | undefined {
    const { inner } = this;
    return inner.destroyIfEqual ? this.guard('destroyIfEqual', () => inner.destroyIfEqual!(key, expected)) : undefined;
  }

  private guard<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (cause: unknown, timedOut: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.onFailure?.(operation, timedOut);
        reject(new StoreUnavailableError(operation, cause));
      };
      const timer = setTimeout(() => fail(new Error(`no answer within ${this.timeoutMs} ms`), true), this.timeoutMs);
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (err) {
        fail(err, false);
        return;
      }
      Promise.resolve(pending).then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => fail(err, false),
      );
    });
  }
}
