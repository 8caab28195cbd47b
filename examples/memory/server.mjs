// The smallest app: sessions in this process's memory (the embedded default).
// Run: node examples/memory/server.mjs   (PORT, WECHAT_APP_ID, WECHAT_APP_SECRET)
import express from 'express';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { serve, wechatFromEnv } from '../shared/env.mjs';

const { wechat } = await wechatFromEnv();
const options = wechatSession({ ...wechat, store: memoryStore() }); // bounded: 100k sessions, 64 MiB

const app = express();
app.use('/wechat', wechatRouter(options)); // POST /login, /phone, /logout; GET /session
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid, unionid: req.wechat.unionid ?? null });
});

await serve(app, 'memory example');
