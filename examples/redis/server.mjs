// Sessions in Redis: any number of app processes can share them.
// Run: REDIS_URL=redis://127.0.0.1:6379 node examples/redis/server.mjs
// For a Redis Cluster, set REDIS_CLUSTER_NODES=host:port,host:port instead.
import express from 'express';
import { createClient, createCluster } from 'redis';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { redisStore } from 'express-wechat-session/adapters/redis';
import { onShutdown, serve, wechatFromEnv } from '../shared/env.mjs';

function connectRedis(env = process.env) {
  const nodes = env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean);
  // disableOfflineQueue: while Redis is unreachable, fail at once (503) instead of queueing.
  const defaults = { disableOfflineQueue: true };
  if (nodes?.length) return createCluster({ rootNodes: nodes.map((node) => ({ url: `redis://${node}` })), defaults });
  return createClient({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...defaults });
}

const client = connectRedis();
client.on('error', (err) => console.error('redis:', err.message));
await client.connect();
onShutdown(() => client.close?.() ?? client.quit());

const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: redisStore({ client, prefix: 'wxs:' }) });

const app = express();
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid, unionid: req.wechat.unionid ?? null });
});

await serve(app, 'redis example');
