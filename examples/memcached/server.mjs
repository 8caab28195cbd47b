// Sessions in memcached (one server or several; memjs spreads keys over them).
// Run: MEMCACHED_SERVERS=127.0.0.1:11211,127.0.0.1:11212 node examples/memcached/server.mjs
import express from 'express';
import memjs from 'memjs';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { memcachedStore } from 'express-wechat-session/adapters/memcached';
import { onShutdown, serve, wechatFromEnv } from '../shared/env.mjs';

const client = memjs.Client.create(process.env.MEMCACHED_SERVERS ?? '127.0.0.1:11211', { timeout: 0.5, retries: 1 });
onShutdown(() => client.close());

const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: memcachedStore({ client, prefix: 'wxs:' }) });

const app = express();
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid, unionid: req.wechat.unionid ?? null });
});

await serve(app, 'memcached example');
