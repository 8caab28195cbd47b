// One of several identical app processes behind a load balancer, sharing one
// Redis: a token issued by any of them works on all of them, and a logout on
// one is seen by the others at once. start.mjs runs two of these.
import express from 'express';
import { createClient } from 'redis';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { redisStore } from 'express-wechat-session/adapters/redis';
import { onShutdown, serve, wechatFromEnv } from '../shared/env.mjs';

const name = process.env.APP_NAME ?? `pid ${process.pid}`;
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true });
client.on('error', (err) => console.error(`${name} redis:`, err.message));
await client.connect();
onShutdown(() => client.close());

const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: redisStore({ client, prefix: 'wxs:' }) });

const app = express();
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid, servedBy: name });
});

await serve(app, `process ${name}`);
