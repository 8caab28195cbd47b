import { isThenable, withTimeout } from '../async.js';
import { StoreUnavailableError } from '../errors.js';
import type { Awaitable, WechatStore } from '../store.js';

/** Told of every failed store call: which operation, whether it timed out, and the store's own error. */
export type StoreFailureListener = (operation: string, timedOut: boolean, cause: unknown) => void;

/**
 * A store whose every call settles within `timeoutMs` and rejects only with
 * `StoreUnavailableError`, so a stalled or broken store answers 503 instead
 * of hanging the request. A store that answers in process (a value rather
 * than a promise, as the memory store does) has nothing to time out.
 */
export class GuardedStore {
  readonly #inner: WechatStore;
  readonly #timeoutMs: number;
  readonly #onFailure: StoreFailureListener;

  constructor(inner: WechatStore, timeoutMs: number, onFailure: StoreFailureListener) {
    this.#inner = inner;
    this.#timeoutMs = timeoutMs;
    this.#onFailure = onFailure;
  }

  /** Whether the store can overwrite an existing key only (renewals need it, so they never resurrect). */
  get canReplace(): boolean {
    return typeof this.#inner.replace === 'function';
  }

  get(key: string): Promise<string | null | undefined> {
    return this.#call('get', () => this.#inner.get(key));
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.#call('set', () => this.#inner.set(key, value, ttlSeconds));
  }

  destroy(key: string): Promise<void> {
    return this.#call('destroy', () => this.#inner.destroy(key));
  }

  /** Overwrite an existing key only; `undefined` when the store cannot. */
  replace(key: string, value: string, ttlSeconds: number): Promise<void> | undefined {
    const { replace } = this.#inner;
    return replace ? this.#call('replace', () => replace.call(this.#inner, key, value, ttlSeconds)) : undefined;
  }

  /** Renew an existing key's expiry; `undefined` when the store has no `touch`. */
  touch(key: string, ttlSeconds: number): Promise<void> | undefined {
    const { touch } = this.#inner;
    return touch ? this.#call('touch', () => touch.call(this.#inner, key, ttlSeconds)) : undefined;
  }

  /** Atomic set-if-absent; `undefined` when the store cannot do it atomically. */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean> | undefined {
    const { add } = this.#inner;
    return add ? this.#call('add', () => add.call(this.#inner, key, value, ttlSeconds)) : undefined;
  }

  /** Atomic compare-and-delete; `undefined` when the store cannot do it. */
  destroyIfEqual(key: string, expected: string): Promise<boolean> | undefined {
    const { destroyIfEqual } = this.#inner;
    return destroyIfEqual ? this.#call('destroyIfEqual', () => destroyIfEqual.call(this.#inner, key, expected)) : undefined;
  }

  /** The one place a store call is made, awaited and bounded in time. */
  async #call<T>(operation: string, call: () => Awaitable<T>): Promise<T> {
    try {
      const answer = call();
      return isThenable(answer) ? await withTimeout(answer, this.#timeoutMs, () => new StoreTimeout(this.#timeoutMs)) : answer;
    } catch (err) {
      this.#onFailure(operation, err instanceof StoreTimeout, err);
      throw new StoreUnavailableError(operation, err);
    }
  }
}

/** A store call that did not answer in time. */
class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'StoreTimeout';
  }
}
