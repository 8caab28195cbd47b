/**
 * Settings of a soak run: the library's timeouts, the store clients'
 * settings, and the longest each operation may take under those timeouts.
 */

/** The library options under test (the ones that bound every answer). */
export const LIBRARY = {
  /** WeChat call timeout per attempt, ms: below the 5 s default so that a hang shows quickly. */
  timeout: 2500,
  retries: 1,
  retryDelay: 50,
  storeTimeout: 1500,
  /** Renewal after 1 s, so that sessions renew all through the run. */
  ttl: 3600,
  renewAfter: 1,
  bodyTimeout: 2000,
} as const;

/** node-redis settings that keep every answer within the timeouts and lose no session across stalls, drops and restarts. */
export const REDIS_CLIENT = {
  /** While reconnecting, fail commands at once (503) instead of queueing them until the server is back. */
  disableOfflineQueue: true,
  /** A connection attempt gives up after 1 s, and the client keeps trying, at most 500 ms apart, forever. */
  socket: { connectTimeout: 1000, reconnectStrategy: (retries: number): number => Math.min(50 * 2 ** retries, 500) },
} as const;

/** memjs: an answer timeout (seconds) below `storeTimeout`, and no retry past it. */
export const MEMJS_CLIENT = { timeout: 1, retries: 0 } as const;

export type Operation = 'login' | 'resolve' | 'phoneCode' | 'phoneLegacy' | 'logout';
export const OPERATIONS: readonly Operation[] = ['login', 'resolve', 'phoneCode', 'phoneLegacy', 'logout'];

/** Sequential store calls, and WeChat calls (each with its retries), an operation can make at most. */
const CALLS: Record<Operation, { store: number; wechat: number }> = {
  login: { store: 4, wechat: 1 }, // session set, index get, revoked destroys (in parallel), index set
  resolve: { store: 3, wechat: 0 }, // get, renewal set, index touch
  phoneCode: { store: 4, wechat: 1 }, // get, then renewal after success: get, set, touch
  phoneLegacy: { store: 4, wechat: 0 },
  logout: { store: 2, wechat: 0 }, // get, destroy
};

/** What a loaded 2-core machine may add (scheduling, GC), ms. */
const SLACK_MS = 1500;

/** The longest an answer to `op` may take under the configured timeouts, ms. */
export function boundMs(op: Operation): number {
  let wechat = (LIBRARY.retries + 1) * LIBRARY.timeout;
  for (let retry = 0; retry < LIBRARY.retries; retry++) wechat += Math.min(LIBRARY.retryDelay * 2 ** retry * 1.5, 5000);
  return CALLS[op].store * LIBRARY.storeTimeout + CALLS[op].wechat * wechat + SLACK_MS;
}

/**
 * How a run is sized, from SOAK_SECONDS (default 300), SOAK_USERS (per
 * store) and SOAK_FLOOD (logins in the flood): the users' pause between two
 * steps, the warm-up, each fault's length and the calm after it (ms), and
 * how many faults (once through the cycle for a short run, repeated for a long one).
 */
export function configFromEnv(cycle: number, env: NodeJS.ProcessEnv = process.env) {
  const seconds = Number(env.SOAK_SECONDS ?? 300);
  const short = seconds <= 60;
  const users = Number(env.SOAK_USERS ?? (short ? 12 : 30));
  const floodLogins = Number(env.SOAK_FLOOD ?? (short ? 1500 : 6000));
  if (!(seconds >= 10)) throw new TypeError(`SOAK_SECONDS must be at least 10; got ${env.SOAK_SECONDS}`);
  if (!(users >= 1)) throw new TypeError(`SOAK_USERS must be at least 1; got ${env.SOAK_USERS}`);
  if (!(floodLogins >= 200)) throw new TypeError(`SOAK_FLOOD must be at least 200; got ${env.SOAK_FLOOD}`);
  const slot = Math.max(1800, (seconds * 1000 - 3000) / cycle);
  const timing = short
    ? { warmupMs: 3000, faultMs: Math.round(slot * 0.7), calmMs: Math.round(slot * 0.3), rounds: cycle }
    : { warmupMs: 15_000, faultMs: 4000, calmMs: 4000, rounds: Math.floor((seconds * 1000 - 15_000) / 8000) };
  return { seconds, users, floodLogins, thinkMs: short ? [20, 60] : [20, 80], ...timing };
}

export type SoakConfig = ReturnType<typeof configFromEnv>;
