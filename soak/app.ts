/**
 * The app under soak, in a process of its own (with --expose-gc) so that
 * its heap and CPU are measured alone: wechatRouter and requireWechatSession
 * over Redis (`/redis/...`) and over Memcached (`/memcached/...`), with the
 * client settings of ./config.ts. Environment: SOAK_WECHAT_URL, SOAK_REDIS_URL,
 * SOAK_MEMCACHED. Prints `listening on <url>`; measurements under `/__soak/`:
 * `heap` (after GC, with event counts and the event-loop delay since the
 * last one), `cpu` (process.cpuUsage, µs) and `memory-bound`.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import memjs from 'memjs';
import { createClient } from 'redis';
import { memcachedStore } from '../adapters/memcached.js';
import { memoryStore, type MemoryStore } from '../adapters/memory.js';
import { redisStore } from '../adapters/redis.js';
import { requireWechatSession, wechatRouter, type WechatEventName, type WechatSessionOptions, type WechatStore } from '../src/index.js';
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from '../src/testing/index.js';
import { exitWithParent } from '../test/support/app-process.js';
import { LIBRARY, MEMJS_CLIENT, REDIS_CLIENT } from './config.js';

const EVENTS: Record<WechatEventName, 0> = { login: 0, renew: 0, logout: 0, revoke: 0, sessionKeyMismatch: 0, upstreamError: 0, storeError: 0 };

/** The soak's library options on `store`, every event counted into `events`. */
function optionsFor(store: WechatStore, events: Record<string, number>): WechatSessionOptions {
  const on = Object.fromEntries(Object.keys(EVENTS).map((name) => [name, () => void (events[name] = (events[name] ?? 0) + 1)]));
  return { appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET, apiBaseUrl: process.env.SOAK_WECHAT_URL, store, logger: false, on, ...LIBRARY };
}

/** Heap in use after full collections, with a turn of the event loop between them so that finalizers run. */
async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the soak app with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Memory stores filled far past their bounds, as the library fills them (a
 * record under its token hash, and the openid's index, per session): the
 * default one (100 000 entries) with 120 000 entries, one bounded by
 * `maxBytes` (8 MiB) with 80 000. Each holds what its bound allows, and
 * the heap it holds after GC is measured.
 */
async function memoryBound() {
  const fill = async (make: () => MemoryStore, sessions: number) => {
    const before = await settledHeap();
    const store = make();
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < sessions; i++) {
      const [openid, hash] = [`o${randomBytes(21).toString('base64url')}`, randomBytes(24).toString('base64url')];
      void store.set(`${DEFAULT_APP_ID}:s:${hash}`, JSON.stringify({ v: 1, o: openid, k: randomBytes(16).toString('base64'), c: now, r: now }), 3600);
      void store.set(`${DEFAULT_APP_ID}:u:${openid}`, JSON.stringify([hash]), 3600);
    }
    const result = { written: 2 * sessions, kept: store.size, heapBytes: (await settledHeap()) - before };
    store.clear();
    return result;
  };
  const documentedBytes = 64 * 1024 * 1024;
  const defaults = await fill(() => memoryStore(), 60_000);
  const maxBytes = 8 * 1024 * 1024;
  return {
    defaults,
    documentedBytes,
    withinDocumented: defaults.heapBytes <= documentedBytes,
    byBytes: { maxBytes, ...(await fill(() => memoryStore({ maxBytes }), 40_000)) },
  };
}

export type MemoryBound = Awaited<ReturnType<typeof memoryBound>>;

async function main(): Promise<void> {
  const events: Record<string, number> = {};
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const redis = createClient({ url: process.env.SOAK_REDIS_URL, ...REDIS_CLIENT });
  redis.on('error', () => undefined); // reconnection is the client's job; failures show as 503s
  await redis.connect();
  const memcached = memjs.Client.create(process.env.SOAK_MEMCACHED, { ...MEMJS_CLIENT, logger: { log: () => undefined } });
  const app = express();
  for (const [base, store] of [
    ['/redis', redisStore({ client: redis })],
    ['/memcached', memcachedStore({ client: memcached })],
  ] as const) {
    const options = optionsFor(store, events);
    app.use(`${base}/wechat`, wechatRouter(options));
    app.get(`${base}/api/me`, requireWechatSession(options), (req, res) => void res.json({ openid: req.wechat!.openid }));
  }
  app.get('/__soak/heap', async (_req, res) => {
    res.json({ bytes: await settledHeap(), events, loopMaxMs: Math.round(loop.max / 1e6) });
    loop.reset();
  });
  app.get('/__soak/cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ micros: user + system });
  });
  app.get('/__soak/memory-bound', async (_req, res) => void res.json(await memoryBound()));
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
  });
  server.keepAliveTimeout = 30_000;
  exitWithParent(async () => {
    server.closeAllConnections();
    server.close();
    await redis.destroy();
    memcached.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`soak app failed: ${String((err as Error)?.message ?? err)}\n`);
  process.exit(1);
});
