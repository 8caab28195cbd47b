/**
 * A small app run as its own process (with `node --import tsx`), one of a
 * fleet sharing a store. Configured through the environment:
 * WXS_APP_ID, WXS_APP_SECRET, WXS_API_BASE_URL, WXS_STORE (`redis` or
 * `memcached`), WXS_STORE_SERVERS (a redis:// URL, or host:port list),
 * WXS_PREFIX. Prints one JSON line `{"url": …}` once it listens; SIGTERM
 * closes it.
 */
import express from 'express';
import memjs from 'memjs';
import { createClient } from 'redis';
import { memcachedStore } from '../../adapters/memcached.js';
import { redisStore } from '../../adapters/redis.js';
import { requireWechatSession, wechatRouter, type WechatSessionOptions } from '../../src/index.js';
import type { WechatStore } from '../../src/store.js';
import { env, runApp, serveApp } from '../support/child-app.js';

async function openStore(): Promise<{ store: WechatStore; close(): Promise<void> }> {
  const prefix = env('WXS_PREFIX');
  if (env('WXS_STORE') === 'redis') {
    const client = createClient({ url: env('WXS_STORE_SERVERS'), disableOfflineQueue: true });
    client.on('error', (err: Error) => process.stderr.write(`redis: ${err.message}\n`));
    await client.connect();
    return { store: redisStore({ client, prefix }), close: async () => client.destroy() };
  }
  const client = memjs.Client.create(env('WXS_STORE_SERVERS'), { timeout: 0.25, retries: 0, logger: { log: () => undefined } });
  return { store: memcachedStore({ client, prefix }), close: async () => client.close() };
}

async function main(): Promise<void> {
  const { store, close } = await openStore();
  const wechat: WechatSessionOptions = {
    appId: env('WXS_APP_ID'),
    appSecret: env('WXS_APP_SECRET'),
    apiBaseUrl: env('WXS_API_BASE_URL'),
    store,
  };
  const app = express();
  app.use('/wechat', wechatRouter(wechat));
  app.use('/api', requireWechatSession(wechat));
  app.get('/api/me', (req, res) => res.json({ openid: req.wechat!.openid, data: req.wechat!.data, pid: process.pid }));
  app.post('/api/data', express.json(), async (req, res) => {
    await req.wechat!.save(req.body);
    res.json(req.wechat!.data);
  });
  serveApp(app, close);
}

runApp(main);
