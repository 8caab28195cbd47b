/**
 * An optional, internal capability of in-process stores (the memory store):
 * read a value synchronously. A read that cannot block needs no timeout and
 * no promise, so a request resolved from such a store goes through
 * `requireWechatSession` without waiting for the event loop. Not part of the
 * public store contract; `Symbol.for` so the CommonJS and ES module builds
 * of the package agree on it.
 */
export const SYNC_READ: unique symbol = Symbol.for('express-wechat-session.syncRead') as never;

/** What an in-process store keeps under {@link SYNC_READ}. */
export interface SyncRead {
  /** The store's own `get`: the reader is used only while `store.get` is still this very function. */
  get: unknown;
  read(key: string): string | null | undefined;
}

/**
 * The synchronous reader of `store`, or `undefined`. A store whose `get` was
 * wrapped or replaced (a proxy that counts calls, say) has none: its reads
 * go through its `get`.
 *
 * @example
 * ```ts
 * const readNow = syncReaderOf(store);
 * const value = readNow ? readNow(key) : await store.get(key);
 * ```
 */
export function syncReaderOf(store: object): SyncRead['read'] | undefined {
  return readerUnder<SyncRead['read']>(store, SYNC_READ);
}

/**
 * The `read` a store keeps under `symbol` ({ get, read }), while the store's
 * `get` is still the one it was kept with; else `undefined`.
 */
export function readerUnder<R>(store: object, symbol: symbol): R | undefined {
  const capability = (store as Record<symbol, { get?: unknown; read?: unknown } | undefined>)[symbol];
  if (!capability || typeof capability.read !== 'function') return undefined;
  return (store as { get?: unknown }).get === capability.get ? (capability.read as R) : undefined;
}
