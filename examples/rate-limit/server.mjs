// A rate limit on login (express-rate-limit): each login spends a wx.login
// code and a call to WeChat, so cap it per client address. Put one on your
// other routes as your app needs. Behind a proxy, set `trust proxy` so the
// limit applies to the client's address, not the proxy's.
// Run: LOGIN_RATE_LIMIT=10 node examples/rate-limit/server.mjs
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { serve, wechatFromEnv } from '../shared/env.mjs';

const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: memoryStore() });

const loginLimit = rateLimit({
  windowMs: 60_000,
  limit: Number(process.env.LOGIN_RATE_LIMIT ?? 10), // logins per address per minute
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_req, res) => {
    res.status(429).json({ error: { code: 'LOGIN_RATE_LIMITED', message: 'Too many logins; try again in a minute' } });
  },
});

const app = express();
// app.set('trust proxy', 1); // behind one reverse proxy
app.use('/wechat/login', loginLimit);
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid });
});

await serve(app, 'rate-limit example');
