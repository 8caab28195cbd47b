/**
 * What the bench measures: the HTTP configurations (each in its own server
 * process, see bench/apps) and the comparisons printed against targets.
 */

/** One server configuration, named as in bench/apps/index.ts. */
export interface HttpRow {
  name: string;
  label: string;
}

export const HTTP_ROWS: readonly HttpRow[] = [
  { name: 'bare', label: 'bare Express, no auth' },
  { name: 'noop-layer', label: 'no-op middleware (sets req.wechat, no lookup)' },
  { name: 'ours-memory', label: 'requireWechatSession, memory store' },
  { name: 'ours-redis', label: 'requireWechatSession, Redis' },
  { name: 'ours-redis-csc', label: 'requireWechatSession, Redis + client-side cache' },
  { name: 'wafer-memory', label: 'wafer-node-session, MemoryStore' },
  { name: 'es-memory', label: 'express-session + MemoryStore' },
  { name: 'es-redis', label: 'express-session + connect-redis' },
  { name: 'phone-ours', label: 'decryptPhone route (legacy body)' },
  { name: 'phone-hand', label: 'hand-written decrypt route, no session' },
  { name: 'login-ours', label: 'wechatLogin (stand-in, memory store)' },
  { name: 'login-hand', label: 'hand-written login (fetch, token, 1 write)' },
  { name: 'redis-hand', label: 'hand-written Redis lookup (1 GET, JSON.parse)' },
  { name: 'redis-csc-hand', label: 'hand-written lookup, client-side cache' },
];

/** A bound a measured value must meet. */
export interface Target {
  op: '>=' | '<=' | '=';
  value: number;
}

/**
 * A side-by-side comparison of two HTTP configurations: how many requests
 * `subject` serves per CPU-second relative to `baseline`. Measured through
 * the bare Express twin every server process also serves: the median of
 * (twin CPU per request ÷ the configuration's) over runs paired in the same
 * process; against a configuration other than bare, the quotient of the two.
 * The ratio of the separate processes' medians, and the one by req/s, are
 * printed beside it.
 */
export interface HttpComparison {
  label: string;
  subject: string;
  baseline: string;
  /** The first bar. */
  target?: Target;
  /** The stricter bar of the hot-path work. */
  stretch?: Target;
}

export const HTTP_COMPARISONS: readonly HttpComparison[] = [
  // The method's own error: the bare row against its twin, the same code under another path (ideally 1.00×).
  { label: 'control: bare Express / its same-process twin', subject: 'bare', baseline: 'bare' },
  { label: 'protected route, memory store / bare Express', subject: 'ours-memory', baseline: 'bare', target: { op: '>=', value: 0.9 }, stretch: { op: '>=', value: 0.97 } },
  { label: 'no-op middleware / bare Express', subject: 'noop-layer', baseline: 'bare' },
  { label: 'memory store / no-op middleware', subject: 'ours-memory', baseline: 'noop-layer' },
  { label: 'memory store / wafer-node-session', subject: 'ours-memory', baseline: 'wafer-memory', stretch: { op: '>=', value: 1.0 } },
  { label: 'protected route, Redis / bare Express', subject: 'ours-redis', baseline: 'bare', target: { op: '>=', value: 0.75 }, stretch: { op: '>=', value: 0.85 } },
  { label: 'Redis / express-session + connect-redis', subject: 'ours-redis', baseline: 'es-redis', target: { op: '>=', value: 1.3 }, stretch: { op: '>=', value: 1.3 } },
  { label: 'Redis + client-side cache / bare Express', subject: 'ours-redis-csc', baseline: 'bare', stretch: { op: '>=', value: 0.95 } },
  { label: 'Redis / hand-written Redis lookup', subject: 'ours-redis', baseline: 'redis-hand' },
  { label: 'Redis + client-side cache / hand-written cached lookup', subject: 'ours-redis-csc', baseline: 'redis-csc-hand' },
  { label: 'hand-written Redis lookup / bare Express', subject: 'redis-hand', baseline: 'bare' },
  { label: 'hand-written cached lookup / bare Express', subject: 'redis-csc-hand', baseline: 'bare' },
  { label: 'decryptPhone route / hand-written route', subject: 'phone-ours', baseline: 'phone-hand', stretch: { op: '>=', value: 0.9 } },
  { label: 'login / minimal hand-written login', subject: 'login-ours', baseline: 'login-hand', target: { op: '>=', value: 0.8 }, stretch: { op: '>=', value: 0.8 } },
];

/** Labels of the rows that are not HTTP comparisons (the smoke test looks for every one). */
export const OTHER_CHECKS = {
  decrypt: 'legacy phone decryption / reference (ops/s)',
  memory: 'memory store, heap per live session',
  redisKey: 'Redis, MEMORY USAGE of a session key',
  redisIndex: 'Redis, MEMORY USAGE of a per-openid index key',
  redisInfo: 'Redis, INFO used_memory per session',
  lookupMemory: 'session lookup in process, memory store: CPU added',
  lookupRedis: 'session lookup in process, Redis: CPU added',
  lookupCsc: 'session lookup in process, client-side cache: CPU added',
  redisCommands: 'Redis commands per resolved request',
  cscCommands: 'Redis commands per request, client-side cache',
} as const;

/** Targets of the non-HTTP rows. */
export const OTHER_TARGETS: Readonly<Partial<Record<keyof typeof OTHER_CHECKS, { target?: Target; stretch?: Target }>>> = {
  decrypt: { target: { op: '>=', value: 1.0 } },
  redisKey: { stretch: { op: '<=', value: 250 } },
  redisCommands: { stretch: { op: '=', value: 1 } },
  cscCommands: { stretch: { op: '=', value: 0 } },
};
