// Reuse a store you already run for express-session: connect-redis here;
// connect-mongo, connect-pg-simple and the others plug in the same way.
// Run: REDIS_URL=redis://127.0.0.1:6379 node examples/connect-redis/server.mjs
import express from 'express';
import { createClient } from 'redis';
import { RedisStore } from 'connect-redis';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { expressSessionStore } from 'express-wechat-session/adapters/express-session';
import { onShutdown, serve, wechatFromEnv } from '../shared/env.mjs';

const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true });
client.on('error', (err) => console.error('redis:', err.message));
await client.connect();
onShutdown(() => client.close());

// The same RedisStore your express-session set-up uses; a distinct prefix keeps the two apart.
const sessions = new RedisStore({ client, prefix: 'sess:' });
const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: expressSessionStore(sessions, { prefix: 'wxs:' }) });

const app = express();
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid, unionid: req.wechat.unionid ?? null });
});

await serve(app, 'connect-redis example');
