/**
 * Settings of a soak run: the library's timeouts, the store clients'
 * settings, the traffic, and the latency each operation may take at most
 * under those timeouts.
 */

/** The library options under test (the ones that bound every answer). */
export const LIBRARY = {
  /**
   * WeChat call timeout per attempt, ms: below the 5 s default so a hang
   * shows quickly, with room for a busy 2-core machine (a WeChat slower than
   * this through no injected fault would answer 504 outside the table).
   */
  timeout: 2500,
  /** Extra attempts after busy/5xx/network failures. */
  retries: 1,
  /** First backoff, ms (doubles, ×0.5–1.5 jitter). */
  retryDelay: 50,
  /** Store call timeout, ms (default 2000). */
  storeTimeout: 1500,
  /** Session lifetime and renewal, seconds: renewal after 1 s, so that sessions renew all through the run. */
  ttl: 3600,
  renewAfter: 1,
  /** A body must arrive within 2 s (and logins are remembered that long for requests still reading theirs). */
  bodyTimeout: 2000,
} as const;

/**
 * node-redis client settings that keep every answer within the timeouts
 * and lose no session across stalls, dropped connections and restarts.
 */
export const REDIS_CLIENT = {
  /** While reconnecting, fail commands at once (503) instead of queueing them until the server is back. */
  disableOfflineQueue: true,
  socket: {
    /** A connection attempt to a stopped or stalled server gives up after 1 s… */
    connectTimeout: 1000,
    /** …and the client keeps trying, at most 500 ms apart, forever. */
    reconnectStrategy: (retries: number): number => Math.min(50 * 2 ** retries, 500),
  },
} as const;

/** memjs settings: an answer timeout (seconds) below the library's `storeTimeout`, and no retry past it. */
export const MEMJS_CLIENT = { timeout: 1, retries: 0 } as const;

/** Operations the virtual users perform. */
export type Operation = 'login' | 'resolve' | 'phoneCode' | 'phoneLegacy' | 'logout';
export const OPERATIONS: readonly Operation[] = ['login', 'resolve', 'phoneCode', 'phoneLegacy', 'logout'];

/** Sequential store calls each operation can make at most. */
const STORE_CALLS: Record<Operation, number> = {
  login: 4, // session set, index get, revoked destroys (in parallel), index set
  resolve: 3, // get, renewal set, index touch
  phoneCode: 4, // get, then renewal after success: get, set, touch
  phoneLegacy: 4,
  logout: 2, // get, destroy
};

/** WeChat calls (each with its retries) an operation can make at most. */
const WECHAT_CALLS: Record<Operation, number> = { login: 1, resolve: 0, phoneCode: 1, phoneLegacy: 0, logout: 0 };

/** What the server may add on a loaded 2-core machine (scheduling, GC), ms. */
export const SLACK_MS = 1500;

/** The longest a WeChat call can take with its retries and backoff, ms. */
export function wechatBoundMs(): number {
  let total = (LIBRARY.retries + 1) * LIBRARY.timeout;
  for (let retry = 0; retry < LIBRARY.retries; retry++) total += Math.min(LIBRARY.retryDelay * 2 ** retry * 1.5, 5000);
  return total;
}

/** The longest an answer to `op` may take under the configured timeouts, ms. */
export function boundMs(op: Operation): number {
  return STORE_CALLS[op] * LIBRARY.storeTimeout + WECHAT_CALLS[op] * wechatBoundMs() + SLACK_MS;
}

/** How a run is sized: from the environment (SOAK_SECONDS, SOAK_USERS) or the caller. */
export interface SoakConfig {
  seconds: number;
  /** Virtual users per store. */
  users: number;
  /** Pause between two steps of one user, ms (random between the two). */
  thinkMs: [number, number];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SoakConfig {
  const seconds = Number(env.SOAK_SECONDS ?? 300);
  const users = Number(env.SOAK_USERS ?? (seconds <= 60 ? 12 : 30));
  if (!(seconds >= 10)) throw new TypeError(`SOAK_SECONDS must be at least 10; got ${env.SOAK_SECONDS}`);
  if (!(users >= 1)) throw new TypeError(`SOAK_USERS must be at least 1; got ${env.SOAK_USERS}`);
  return { seconds, users, thinkMs: seconds <= 60 ? [20, 60] : [20, 80] };
}
