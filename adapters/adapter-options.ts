import { DEFAULT_PREFIX } from '../src/store.js';

/**
 * The key prefix an adapter was given, checked once at start-up.
 *
 * @example
 * ```ts
 * const prefix = resolvePrefix('redisStore', options.prefix); // 'wxs:' when undefined
 * ```
 */
export function resolvePrefix(adapter: string, prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== 'string') {
    throw new TypeError(`${adapter}: \`prefix\` must be a string such as 'wxs:'; got ${typeof prefix}`);
  }
  return prefix;
}

/**
 * Check that `client` is an object with every method in `methods`, so a
 * wrong option fails at start-up instead of on the first request.
 *
 * @example
 * ```ts
 * requireMethods('redisStore', 'a node-redis client from createClient() or createCluster()', client, ['get', 'set']);
 * ```
 */
export function requireMethods(adapter: string, what: string, client: unknown, methods: readonly string[]): void {
  const missing = typeof client === 'object' && client !== null ? methods.filter((m) => typeof (client as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length > 0) {
    const got = client === null || typeof client !== 'object' ? String(client) : `an object without ${missing.join(', ')}()`;
    throw new TypeError(`${adapter}: \`client\` must be ${what}; got ${got}`);
  }
}

/**
 * A TTL as the whole, positive number of seconds servers expect.
 *
 * @example
 * ```ts
 * wholeSeconds(0.2); // 1
 * ```
 */
export function wholeSeconds(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds));
}

/**
 * A stored reply as text: strings as they are, Buffers decoded as UTF-8,
 * `null`/`undefined` as a miss.
 *
 * @example
 * ```ts
 * asText(Buffer.from('v')); // 'v'
 * ```
 */
export function asText(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return String(reply);
}
