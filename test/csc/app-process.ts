/**
 * An app process of a fleet behind one Redis, whose client caches sessions
 * in process (node-redis client-side caching). Run with `node --import tsx`.
 * Environment: WXS_APP_ID, WXS_APP_SECRET, WXS_API_BASE_URL, WXS_PREFIX,
 * WXS_REDIS (a redis:// URL, or host:port,… of Cluster nodes with
 * WXS_CLUSTER=1), WXS_CSC=0 for a plain client, WXS_TTL, WXS_RENEW_AFTER.
 *
 * Routes: `/wechat/*` (wechatRouter), `GET /api/me` behind
 * requireWechatSession, `POST /admin/revoke` {openid} (revokeWechatSessions),
 * `POST /__clock` {advance} (seconds added to the library's clock),
 * `GET /__stats` (cache hits and misses, store calls). Prints one JSON line
 * `{"url": …}` once it listens; SIGTERM closes it.
 */
import express from 'express';
import { createClient, createCluster } from 'redis';
import { redisStore } from '../../adapters/redis.js';
import { requireWechatSession, revokeWechatSessions, wechatRouter, type WechatSessionOptions } from '../../src/index.js';
import { countingStore } from '../store-e2e/counting-store.js';
import { env, runApp, serveApp } from '../support/child-app.js';

type Cache = { size(): number; stats(): { hitCount: number; missCount: number } } | undefined;

async function openClient(): Promise<{ client: unknown; cache: Cache; close(): Promise<void> }> {
  const csc = env('WXS_CSC', '1') === '1' ? { RESP: 3 as const, clientSideCache: { maxEntries: 10_000 } } : {};
  const log = (err: Error) => process.stderr.write(`redis: ${err.message}\n`);
  if (env('WXS_CLUSTER', '0') === '1') {
    const rootNodes = env('WXS_REDIS').split(',').map((a) => ({ url: `redis://${a}` }));
    const cluster = createCluster({ rootNodes, ...csc });
    cluster.on('error', log);
    await cluster.connect();
    return { client: cluster, cache: cluster.clientSideCache as Cache, close: async () => cluster.destroy() };
  }
  const client = createClient({ url: env('WXS_REDIS'), ...csc });
  client.on('error', log);
  await client.connect();
  return { client, cache: client.clientSideCache as Cache, close: async () => client.destroy() };
}

async function main(): Promise<void> {
  const { client, cache, close } = await openClient();
  const redis = redisStore({ client: client as never, prefix: env('WXS_PREFIX') });
  const counting = countingStore(redis);
  let offsetMs = 0;
  const wechat: WechatSessionOptions = {
    appId: env('WXS_APP_ID'),
    appSecret: env('WXS_APP_SECRET'),
    apiBaseUrl: env('WXS_API_BASE_URL'),
    store: counting.store,
    ttl: Number(env('WXS_TTL', '259200')),
    renewAfter: Number(env('WXS_RENEW_AFTER', '3600')),
    now: () => Date.now() + offsetMs,
  };
  const app = express();
  app.use('/wechat', wechatRouter(wechat));
  app.get('/api/me', requireWechatSession(wechat), (req, res) => {
    res.json({ openid: req.wechat!.openid, expiresAt: req.wechat!.expiresAt, pid: process.pid });
  });
  app.post('/admin/revoke', express.json(), async (req, res) => {
    res.json({ revoked: await revokeWechatSessions(wechat, String(req.body.openid)) });
  });
  app.post('/__clock', express.json(), (req, res) => {
    offsetMs += Number(req.body.advance) * 1000;
    res.json({ offsetMs });
  });
  app.get('/__stats', (_req, res) => {
    const stats = cache?.stats(); // node-redis's own counts: this process has one store per client
    const count = (method: string) => counting.calls.filter((c) => c.method === method).length;
    res.json({
      hits: stats?.hitCount ?? 0,
      misses: stats?.missCount ?? 0,
      cached: cache?.size() ?? 0,
      gets: count('get'),
      writes: counting.writes().length,
    });
  });
  serveApp(app, close);
}

runApp(main);
