import { redisRaw } from '../test/support/probes.js';

/** Commands that only read a key. */
const READS = new Set(['get', 'mget', 'exists', 'ttl', 'pttl', 'strlen', 'hget', 'hgetall']);

/** Calls per command name since the server started (`INFO commandstats`). */
export async function commandCalls(port: number): Promise<Map<string, number>> {
  const text = await redisRaw(port, 'INFO', 'commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

/** Store reads and writes between two snapshots (commands of the bench's own probes left out). */
export interface CommandDelta {
  reads: number;
  writes: number;
}

const NOT_STORE = new Set(['info', 'ping', 'hello', 'client', 'client|setinfo', 'client|tracking', 'select', 'command', 'auth', 'flushall']);

/**
 * Reads and writes the store made between `before` and `after`.
 *
 * @example
 * ```ts
 * const before = await commandCalls(port);
 * // … load …
 * const { reads, writes } = commandDelta(before, await commandCalls(port));
 * ```
 */
export function commandDelta(before: Map<string, number>, after: Map<string, number>): CommandDelta {
  const delta: CommandDelta = { reads: 0, writes: 0 };
  for (const [name, calls] of after) {
    const n = calls - (before.get(name) ?? 0);
    if (n <= 0 || NOT_STORE.has(name) || name.startsWith('client')) continue;
    if (READS.has(name)) delta.reads += n;
    else delta.writes += n;
  }
  return delta;
}
