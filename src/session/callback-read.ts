import { readerUnder } from './sync-read.js';

/**
 * An optional, internal capability of asynchronous stores (the Redis
 * adapter): read a value and report it to a callback. The library's store
 * guard then makes the one promise a read needs, with its timeout, instead
 * of wrapping the store's own promise in a second one. Not part of the
 * public store contract; `Symbol.for` so the CommonJS and ES module builds
 * of the package agree on it.
 */
export const CALLBACK_READ: unique symbol = Symbol.for('express-wechat-session.callbackRead') as never;

/** Told once how a read ended: `ok` with the value, or not with the error. */
export type ReadCallback = (ok: boolean, result: unknown) => void;

/** What an asynchronous store keeps under {@link CALLBACK_READ}. */
export interface CallbackRead {
  /** The store's own `get`: the reader is used only while `store.get` is still this very function. */
  get: unknown;
  read(key: string, done: ReadCallback): void;
}

/**
 * The callback reader of `store`, or `undefined`. As with the synchronous
 * reader, a store whose `get` was wrapped or replaced has none.
 *
 * @example
 * ```ts
 * const readInto = callbackReaderOf(store);
 * if (readInto) readInto(key, (ok, result) => (ok ? use(result) : fail(result)));
 * ```
 */
export function callbackReaderOf(store: object): CallbackRead['read'] | undefined {
  return readerUnder<CallbackRead['read']>(store, CALLBACK_READ);
}
