import type { StoreAdapterOptions, WechatStore } from '../src/store.js';
import { adapterOptions, requireMethods, resolvePrefix, wholeSeconds } from './adapter-options.js';

/**
 * What this adapter writes into the wrapped store: a session-shaped object around our value.
 *
 * @example
 * ```ts
 * // What the adapter hands the express-session store for one value:
 * const value: WrappedSession = { cookie: { expires: new Date(Date.now() + 3600_000), originalMaxAge: 3600_000 }, wxs: '{"v":1}' };
 * ```
 */
export interface WrappedSession {
  cookie: { expires: Date; originalMaxAge: number };
  /** The library's own (opaque) value. */
  wxs: string;
}

type Callback<T = unknown> = (err?: unknown, result?: T) => void;

/**
 * The express-session `Store` methods this adapter calls (callback style).
 * Any `Store` from express-session's ecosystem fits: connect-redis,
 * connect-mongo, connect-pg-simple, express-session's `MemoryStore`…
 * `set` takes the store's own session type (express-session's
 * `SessionData`, which apps often extend with required fields), so it is
 * declared here as accepting anything the adapter hands it.
 *
 * @example
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * const store = expressSessionStore(new RedisStore({ client, prefix: 'wxs-sess:' })); // any Store with get, set, destroy
 * ```
 */
export interface SessionStoreLike {
  get(sid: string, callback: (err: unknown, session?: unknown) => void): void;
  set(sid: string, session: never, callback?: (err?: unknown) => void): void;
  destroy(sid: string, callback?: (err?: unknown) => void): void;
}

/** Call a callback-style method as a promise; a synchronous throw rejects too. */
function call<T>(run: (done: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done: Callback<T> = (err, result) => {
      if (settled) return;
      settled = true;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(result);
    };
    try {
      run(done);
    } catch (err) {
      done(err ?? new Error('session store threw'));
    }
  });
}

function cookieFor(ttlSeconds: number): WrappedSession['cookie'] {
  const ms = wholeSeconds(ttlSeconds) * 1000;
  return { expires: new Date(Date.now() + ms), originalMaxAge: ms };
}

/**
 * What a read resolves when the key holds something this adapter did not
 * write (another shape, or text the store cannot parse): not a miss, so the
 * library logs it as a value that is not a session, and never a valid one.
 */
const NOT_OURS = '<not an express-wechat-session value>';

/** Our value from what the store returned: `undefined` when absent or expired, {@link NOT_OURS} when foreign. */
function unwrap(session: unknown, now = Date.now()): string | undefined {
  if (session === undefined || session === null) return undefined;
  if (typeof session !== 'object') return NOT_OURS;
  const { wxs, cookie } = session as { wxs?: unknown; cookie?: { expires?: unknown } | null };
  const expires = cookie?.expires;
  if (expires !== undefined && expires !== null) {
    const at = new Date(expires as string | number | Date).getTime();
    if (!Number.isNaN(at) && at <= now) return undefined;
  }
  return typeof wxs === 'string' ? wxs : NOT_OURS;
}

/** A store that parsed the value itself (connect-redis, MemoryStore) fails with a SyntaxError on text it cannot read. */
const unparsable = (err: unknown): boolean => (err as { name?: unknown } | null)?.name === 'SyntaxError';

/** Our value under `sid`; a value the store cannot parse is foreign, not an outage. */
async function readValue(sessions: SessionStoreLike, sid: string): Promise<string | undefined> {
  try {
    return unwrap(await call<unknown>((done) => sessions.get(sid, done)));
  } catch (err) {
    if (unparsable(err)) return NOT_OURS;
    throw err;
  }
}

/**
 * A session store on any express-session `Store`, for teams that already run
 * one (connect-redis, connect-mongo, connect-pg-simple…). Each value is kept
 * as a session-shaped object `{ cookie: { expires, originalMaxAge }, wxs }`,
 * so the wrapped store derives its TTL from `cookie.expires` as it does for
 * express-session; reads check that expiry too.
 *
 * There is no `touch`: a store's own `touch` may renew its TTL without
 * rewriting the stored `cookie.expires` (connect-redis does), which the
 * expiry check on read would then contradict; the library renews with
 * `replace` instead, one read and one write.
 *
 * `replace`, `add` and `destroyIfEqual` are best effort (a read, then a
 * write): two callers racing on the same key can both win, and a renewal
 * racing a logout in another process can bring the session back. Prefer
 * the Redis or memcached adapter where those must be atomic across
 * processes.
 *
 * A key holding something this adapter did not write (another session
 * shape, or text the wrapped store cannot parse) reads as a value that is
 * not a session: the library logs a warning and answers 401, not 503.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisStore } from 'connect-redis';
 * import { expressSessionStore } from 'express-wechat-session/adapters/express-session';
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const store = expressSessionStore(new RedisStore({ client }), { prefix: 'wxs:' });
 *
 * // CommonJS: connect-redis 11 is an ES module only, so it comes through import().
 * const { RedisStore } = await import('connect-redis');
 * ```
 */
export function expressSessionStore(sessions: SessionStoreLike, options: StoreAdapterOptions = {}): WechatStore {
  requireMethods('expressSessionStore', 'an express-session Store (get, set, destroy)', sessions, ['get', 'set', 'destroy']);
  const prefix = resolvePrefix('expressSessionStore', adapterOptions('expressSessionStore', options, ['prefix']).prefix);
  const read = (sid: string) => readValue(sessions, sid);
  const write = (sid: string, wxs: string, ttlSeconds: number) => {
    const wrapped: WrappedSession = { cookie: cookieFor(ttlSeconds), wxs };
    return call((done) => sessions.set(sid, wrapped as never, done)).then(() => undefined);
  };
  const remove = (sid: string) => call((done) => sessions.destroy(sid, done)).then(() => undefined);
  return {
    kind: 'express-session',
    get: (key) => read(prefix + key),
    set: (key, value, ttlSeconds) => write(prefix + key, value, ttlSeconds),
    destroy: (key) => remove(prefix + key),
    async replace(key, value, ttlSeconds) {
      if ((await read(prefix + key)) !== undefined) await write(prefix + key, value, ttlSeconds);
    },
    async add(key, value, ttlSeconds) {
      if ((await read(prefix + key)) !== undefined) return false;
      await write(prefix + key, value, ttlSeconds);
      return true;
    },
    async destroyIfEqual(key, expected) {
      if ((await read(prefix + key)) !== expected) return false;
      await remove(prefix + key);
      return true;
    },
  };
}
