/**
 * What a live session costs at rest, measured in a process started with
 * `--expose-gc`:
 * - `memory`: heap growth of the memory store per session (heap after GC,
 *   before the store existed and after `sessions` logins' worth of sessions);
 * - `redis`: `MEMORY USAGE` of a session key and of a per-user index key,
 *   and the `INFO memory` growth per session, on a redis-server of its own
 *   (flushed before and after).
 * Sessions are created through the library's own session manager, so each
 * one is a session record plus its per-openid index entry, as after a login.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { memoryStore } from '../adapters/memory.js';
import { redisStore } from '../adapters/redis.js';
import { getContext } from '../src/context.js';
import type { WechatStore } from '../src/store.js';
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from '../src/testing/index.js';
import { failStart, serveParent } from './ipc.js';

const BATCH = 1000;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start this process with --expose-gc');
  for (let i = 0; i < 3; i += 1) gc();
  return process.memoryUsage().heapUsed;
}

function identity(i: number): { openid: string; sessionKey: string } {
  return { openid: `o${randomBytes(20).toString('base64url').slice(0, 27)}${i % 10}`, sessionKey: randomBytes(16).toString('base64') };
}

/** Create `count` sessions in `store` (in parallel batches); keeps no reference to them. */
async function fill(store: WechatStore, count: number): Promise<void> {
  const { sessions } = getContext({ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET, store });
  for (let done = 0; done < count; done += BATCH) {
    const size = Math.min(BATCH, count - done);
    await Promise.all(Array.from({ length: size }, (_, i) => sessions.create(identity(done + i)).then(() => undefined)));
  }
}

async function memoryCost(count: number): Promise<Record<string, number>> {
  const before = collect();
  // Bounds sized for the run (the defaults, 100 000 entries and 64 MiB, hold about 50 000 sessions).
  const store = memoryStore({ max: count * 2 + 10, maxBytes: 2 ** 31 });
  const empty = collect();
  await fill(store, count);
  const after = collect();
  const result = { bytesPerSession: (after - before) / count, fixedBytes: empty - before, entries: store.size };
  store.clear();
  return result;
}

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (!match) throw new Error(`INFO has no ${field}`);
  return Number(match[1]);
}

async function firstKey(client: { scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]> }, pattern: string): Promise<string> {
  for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
    if (keys.length > 0) return keys[0]!;
  }
  throw new Error(`no key matches ${pattern}`);
}

async function redisCost(url: string, count: number): Promise<Record<string, number>> {
  const client = createClient({ url });
  await client.connect();
  try {
    await client.flushAll();
    const before = infoField(await client.info('memory'), 'used_memory');
    await fill(redisStore({ client: client as never, prefix: 'size:' }), count);
    const after = infoField(await client.info('memory'), 'used_memory');
    const sessionKey = await firstKey(client, 'size:*:s:*');
    const indexKey = await firstKey(client, 'size:*:u:*');
    const result = {
      infoBytesPerSession: (after - before) / count,
      sessionKeyBytes: Number(await client.memoryUsage(sessionKey)),
      indexKeyBytes: Number(await client.memoryUsage(indexKey)),
      keys: Number(await client.dbSize()),
    };
    await client.flushAll();
    return result;
  } finally {
    await client.close();
  }
}

function main(): void {
  serveParent({}, (request) => {
    const count = Number(request.sessions);
    if (request.type === 'memory') return memoryCost(count);
    if (request.type === 'redis') return redisCost(String(request.redisUrl), count);
    throw new Error(`unknown request ${String(request.type)}`);
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
