import { Description, fail, type Input, refuseUnknown } from '../src/options/checks.js';
import { DEFAULT_PREFIX } from '../src/store.js';

/** An adapter's options object (none is `{}`), its keys checked against `known` once, at start-up. */
export function adapterOptions(adapter: string, options: unknown, known: readonly string[]): Input {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') fail('options', `an object { ${known.join(', ')} }`, options, adapter);
  refuseUnknown(options as Input, known, '', adapter);
  return options as Input;
}

/** The key prefix an adapter was given: `wxs:` when none. */
export function resolvePrefix(adapter: string, prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== 'string') fail('prefix', "a string such as 'wxs:'", new Description(typeof prefix), adapter);
  return prefix;
}

/** Check that `client` is an object with every method in `methods`, so a wrong option fails at start-up instead of on the first request. */
export function requireMethods(adapter: string, what: string, client: unknown, methods: readonly string[]): void {
  const missing = typeof client === 'object' && client !== null ? methods.filter((m) => typeof (client as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length > 0) {
    const got = client === null || typeof client !== 'object' ? String(client) : `an object without ${missing.join(', ')}()`;
    fail('client', what, new Description(got), adapter);
  }
}

/** A TTL as the whole, positive number of seconds servers expect. */
export function wholeSeconds(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds));
}

/** A stored reply as text: strings as they are, Buffers decoded as UTF-8, `null`/`undefined` as a miss. */
export function asText(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return String(reply);
}
