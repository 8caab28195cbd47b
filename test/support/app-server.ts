/**
 * An app a test runs as a process of its own, one of a fleet sharing a
 * store; started with `startAppProcess(APP_SERVER, { env })`. Environment:
 * - WXS_APP_ID, WXS_APP_SECRET, WXS_API_BASE_URL: the WeChat stand-in;
 * - WXS_STORE: `redis` (default), `redis-cluster` or `memcached`;
 *   WXS_STORE_SERVERS: a redis:// URL, or host:port,… of Cluster nodes or memcached servers;
 * - WXS_CSC=1: a node-redis client with client-side caching (RESP3);
 * - WXS_PREFIX; WXS_TTL, WXS_RENEW_AFTER (seconds);
 * - WXS_APPS (JSON [{ appId, appSecret }]) for several mini-programs, WXS_WECOM (JSON { corpId, corpSecret }) for a WeCom corp.
 *
 * Routes: `/wechat/*` (wechatRouter); behind requireWechatSession,
 * `GET /api/me` (openid, data, expiresAt, pid) and `POST /api/data` (saves
 * the body as session data); `POST /admin/revoke` {openid}
 * (revokeWechatSessions); `POST /__clock` {advance} (seconds added to the
 * library's clock); `GET /__stats` (client-side cache hits and misses,
 * store gets and writes, access-token fetches). Prints `listening on <url>`.
 */
import express from 'express';
import memjs from 'memjs';
import { createClient, createCluster } from 'redis';
import { memcachedStore } from '../../adapters/memcached.js';
import { redisStore } from '../../adapters/redis.js';
import {
  getWechatClient,
  getWecomClient,
  requireWechatSession,
  revokeWechatSessions,
  wechatRouter,
  type WechatAppOptions,
  type WechatSessionOptions,
  type WechatStore,
} from '../../src/index.js';
import { countingStore } from '../store-e2e/counting-store.js';
import { exitWithParent } from './app-process.js';

function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/** node-redis's client-side cache, as far as this app reads it. */
type Cache = { size(): number; stats(): { hitCount: number; missCount: number } } | undefined;

interface OpenStore {
  store: WechatStore;
  cache?: Cache;
  close(): Promise<void>;
}

async function openStore(): Promise<OpenStore> {
  const kind = env('WXS_STORE', 'redis');
  const servers = env('WXS_STORE_SERVERS', process.env.REDIS_URL);
  const prefix = env('WXS_PREFIX');
  if (kind === 'memcached') {
    const client = memjs.Client.create(servers, { timeout: 0.25, retries: 0, logger: { log: () => undefined } });
    return { store: memcachedStore({ client, prefix }), close: async () => client.close() };
  }
  const csc = env('WXS_CSC', '0') === '1' ? { RESP: 3 as const, clientSideCache: { maxEntries: 10_000 } } : {};
  const log = (err: Error) => process.stderr.write(`redis: ${err.message}\n`);
  const client =
    kind === 'redis-cluster'
      ? createCluster({ rootNodes: servers.split(',').map((a) => ({ url: `redis://${a}` })), ...csc })
      : createClient({ url: servers, disableOfflineQueue: true, ...csc });
  client.on('error', log);
  await client.connect();
  const cache = client.clientSideCache as Cache;
  return { store: redisStore({ client: client as never, prefix }), cache, close: async () => client.destroy() };
}

async function main(): Promise<void> {
  const opened = await openStore();
  const counting = countingStore(opened.store);
  let offsetMs = 0;
  // WXS_APPS (JSON [{ appId, appSecret }]) serves several mini-programs, WXS_WECOM (JSON { corpId, corpSecret }) a WeCom corp.
  const apps = process.env.WXS_APPS ? (JSON.parse(process.env.WXS_APPS) as WechatAppOptions[]) : undefined;
  const wecom = process.env.WXS_WECOM ? { ...JSON.parse(process.env.WXS_WECOM), apiBaseUrl: env('WXS_API_BASE_URL') } : undefined;
  const wechat: WechatSessionOptions = {
    ...(apps ? { apps } : { appId: env('WXS_APP_ID'), appSecret: env('WXS_APP_SECRET') }),
    ...(wecom && { wecom }),
    apiBaseUrl: env('WXS_API_BASE_URL'),
    store: counting.store,
    ttl: Number(env('WXS_TTL', '259200')),
    renewAfter: Number(env('WXS_RENEW_AFTER', '3600')),
    retryDelay: 20,
    now: () => Date.now() + offsetMs,
  };
  const app = express();
  app.use('/wechat', wechatRouter(wechat));
  app.use('/api', requireWechatSession(wechat));
  app.get('/api/me', (req, res) => {
    const { openid, data, expiresAt } = req.wechat!;
    res.json({ openid, data, expiresAt, pid: process.pid });
  });
  app.post('/api/data', express.json(), async (req, res) => {
    await req.wechat!.save(req.body);
    res.json(req.wechat!.data);
  });
  app.post('/admin/revoke', express.json(), async (req, res) => {
    res.json({ revoked: await revokeWechatSessions(wechat, String(req.body.openid)) });
  });
  app.post('/__clock', express.json(), (req, res) => {
    offsetMs += Number(req.body.advance) * 1000;
    res.json({ offsetMs });
  });
  app.get('/__stats', (_req, res) => {
    const stats = opened.cache?.stats(); // node-redis's own counts: this process has one store per client
    res.json({
      hits: stats?.hitCount ?? 0,
      misses: stats?.missCount ?? 0,
      cached: opened.cache?.size() ?? 0,
      gets: counting.calls.filter((c) => c.method === 'get').length,
      writes: counting.writes().length,
      tokenFetchesByApp: Object.fromEntries((apps ?? []).map(({ appId }) => [appId, getWechatClient(wechat, appId).accessTokenFetches])),
      corpTokenFetches: wecom ? getWecomClient(wechat).accessTokenFetches : 0,
      tokenFetches: apps ? 0 : getWechatClient(wechat).accessTokenFetches,
    });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
  });
  exitWithParent(async () => {
    server.closeAllConnections();
    server.close();
    await opened.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`app-server failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
