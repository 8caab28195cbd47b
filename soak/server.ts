/**
 * The app under soak, run in its own process (with --expose-gc) so that its
 * heap is measured alone: wechatRouter and requireWechatSession over Redis
 * (`/redis/...`) and over Memcached (`/memcached/...`), with the client
 * settings of ./config.ts. Driven over IPC by ./run.ts. With
 * SOAK_HEAPSNAPSHOT=1 it also writes a heap snapshot (to the temp
 * directory) at each heap measurement, to compare start and end in DevTools.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import express from 'express';
import memjs from 'memjs';
import { createClient } from 'redis';
import { memcachedStore } from '../adapters/memcached.js';
import { redisStore } from '../adapters/redis.js';
import { requireWechatSession, wechatRouter, type WechatLogger, type WechatSessionOptions, type WechatStore } from '../src/index.js';
import { EVENT_NAMES } from '../src/events.js';
import { LIBRARY, MEMJS_CLIENT, REDIS_CLIENT } from './config.js';
import { measureMemoryBound } from './memory-bound.js';
import { loopDelay, type ServerMessage, type ServerSetup } from './protocol.js';

const setup = JSON.parse(process.env.SOAK_SERVER ?? '{}') as ServerSetup;
const events: Record<string, number> = {};
const logLines: Record<string, number> = {};
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/** Counts lines by level and event; writes nothing (the soak prints its own report). */
const countingLogger: WechatLogger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (obj: object) => {
    const key = `${level}:${String((obj as { event?: unknown }).event)}`;
    logLines[key] = (logLines[key] ?? 0) + 1;
  }]),
) as unknown as WechatLogger;

function optionsFor(store: WechatStore): WechatSessionOptions {
  const on = Object.fromEntries(EVENT_NAMES.map((name) => [name, () => void (events[name] = (events[name] ?? 0) + 1)]));
  return {
    appId: setup.appId,
    appSecret: setup.appSecret,
    apiBaseUrl: setup.wechatUrl,
    store,
    logger: countingLogger,
    on,
    ...LIBRARY,
  };
}

function mount(app: express.Express, base: string, options: WechatSessionOptions): void {
  app.use(`${base}/wechat`, wechatRouter(options));
  app.get(`${base}/api/me`, requireWechatSession(options), (req, res) => res.json({ openid: req.wechat!.openid }));
}

async function main(): Promise<void> {
  const redis = createClient({ url: setup.redisUrl, ...REDIS_CLIENT });
  redis.on('error', () => undefined); // reconnection is the client's job; failures show as 503s
  await redis.connect();
  const memcached = memjs.Client.create(setup.memcachedServers, { ...MEMJS_CLIENT, logger: { log: () => undefined } });
  const app = express();
  mount(app, '/redis', optionsFor(redisStore({ client: redis })));
  mount(app, '/memcached', optionsFor(memcachedStore({ client: memcached })));
  const server = createServer(app);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const send = (message: ServerMessage) => process.send?.(message);
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'heap') {
      const bytes = await settledHeap();
      if (process.env.SOAK_HEAPSNAPSHOT) writeHeapSnapshot(join(tmpdir(), `soak-${Date.now()}.heapsnapshot`));
      send({ type: 'heap', bytes, events: { ...events }, logLines: { ...logLines }, loop: loopDelay(loop) });
      loop.reset();
    }
    if (message.type === 'memory-bound') send({ type: 'memory-bound', result: await measureMemoryBound(settledHeap) });
    if (message.type === 'stop') {
      server.closeAllConnections();
      server.close();
      await redis.destroy();
      memcached.close();
      process.exit(0);
    }
  });
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
}

/**
 * Heap in use after full collections, with a turn of the event loop
 * between them so that finalizers (AbortSignal.timeout's timers, say) run
 * and what they held goes too.
 */
async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the soak server with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

process.on('disconnect', () => process.exit(0)); // the driver is gone: so is the app

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: String((err as Error)?.message ?? err) });
  process.exit(1);
});
