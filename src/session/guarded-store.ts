import { StoreUnavailableError } from '../errors.js';
import type { WechatStore } from '../store.js';
import { callbackReaderOf, type ReadCallback } from './callback-read.js';
import { syncReaderOf } from './sync-read.js';

/** Told of every failed store call: which operation, and whether it timed out. */
export type StoreFailureListener = (operation: string, timedOut: boolean) => void;

/**
 * A store whose every call settles within `timeoutMs` and rejects only with
 * `StoreUnavailableError`, so a stalled or broken store answers 503 instead
 * of hanging the request.
 */
export class GuardedStore {
  /** Calls under way, oldest first (every call has the same timeout, so deadlines come in order). */
  readonly #waiting = new Set<Waiting>();
  /** One timer for all of them, armed for the oldest deadline. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #readNow: ((key: string) => string | null | undefined) | undefined;
  readonly #readInto: ((key: string, done: ReadCallback) => void) | undefined;

  constructor(
    readonly inner: WechatStore,
    private readonly timeoutMs: number,
    private readonly onFailure?: StoreFailureListener,
  ) {
    this.#readNow = syncReaderOf(inner);
    this.#readInto = callbackReaderOf(inner);
  }

  get(key: string): Promise<string | null | undefined> {
    const readInto = this.#readInto;
    if (readInto === undefined) return this.guard('get', () => this.inner.get(key));
    // One promise for the read and its timeout: the store reports to the guard directly.
    return this.#watch<string | null | undefined>('get', (settle) => {
      try {
        readInto(key, settle);
      } catch (err) {
        settle(false, err);
      }
    });
  }

  /**
   * The value under `key`: at once when the store answers in process (the
   * memory store; nothing to time out), else as {@link get} does.
   */
  read(key: string): string | null | undefined | Promise<string | null | undefined> {
    const readNow = this.#readNow;
    if (readNow === undefined) return this.get(key);
    try {
      return readNow(key);
    } catch (err) {
      this.onFailure?.('get', false);
      return Promise.reject(new StoreUnavailableError('get', err));
    }
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
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (err) {
      this.onFailure?.(operation, false);
      return Promise.reject(new StoreUnavailableError(operation, err));
    }
    // An in-process store (it reads synchronously) answers within the turn: there is nothing to time out.
    if (this.#readNow !== undefined) {
      return Promise.resolve(pending).then(undefined, (err: unknown) => {
        this.onFailure?.(operation, false);
        throw new StoreUnavailableError(operation, err);
      });
    }
    return this.#watch<T>(operation, (settle) => {
      Promise.resolve(pending).then(
        (value) => settle(true, value),
        (err: unknown) => settle(false, err),
      );
    });
  }

  /**
   * A promise of the store call that `start` makes and reports to `settle`:
   * it resolves with the value, rejects with `StoreUnavailableError` when the
   * call fails, and when it has not ended within the timeout. What the call
   * reports after that is ignored.
   */
  #watch<T>(operation: string, start: (settle: ReadCallback) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { deadline: performance.now() + this.timeoutMs, operation, reject, done: false };
      this.#waiting.add(waiting);
      if (this.#timer === undefined) this.#arm(this.timeoutMs);
      start((ok, result) => {
        if (waiting.done) return;
        waiting.done = true;
        this.#waiting.delete(waiting);
        if (ok) return resolve(result as T);
        this.onFailure?.(operation, false);
        reject(new StoreUnavailableError(operation, result));
      });
    });
  }

  #arm(ms: number): void {
    // Unref'd: a store call alone does not keep the process up; the request waiting on it does.
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(ms)));
    this.#timer.unref?.();
  }

  /** Fail every call past its deadline, then re-arm for the oldest one left. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const waiting of this.#waiting) {
      if (waiting.deadline > now) {
        this.#arm(waiting.deadline - now);
        return;
      }
      waiting.done = true;
      this.#waiting.delete(waiting);
      this.onFailure?.(waiting.operation, true);
      waiting.reject(new StoreUnavailableError(waiting.operation, new Error(`no answer within ${this.timeoutMs} ms`)));
    }
  };
}

/** A store call under way. */
interface Waiting {
  deadline: number;
  operation: string;
  reject(error: unknown): void;
  done: boolean;
}
