// The demo app: the library's routes, one protected route, and the
// playground page that plays the mini-program's part.
import express from 'express';
import { fileURLToPath } from 'node:url';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { bundleClient, clientDir } from './client-bundle.mjs';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The demo's Express app. `standInUrl` is the local WeChat stand-in the page
 * takes its login and phone codes from, or undefined with real WeChat.
 *
 * @example
 * const app = createDemoApp({ wechat: { appId, appSecret }, standInUrl: undefined });
 */
export function createDemoApp({ wechat, standInUrl }) {
  const options = wechatSession({ ...wechat, store: memoryStore() });
  const clientScript = bundleClient(clientDir());
  const config = { mode: standInUrl ? 'stand-in' : 'wechat', standInUrl: standInUrl ?? null, appId: wechat.appId };

  const app = express();
  app.use('/wechat', wechatRouter(options));
  app.get('/api/me', requireWechatSession(options), (req, res) => {
    res.json({ openid: req.wechat.openid, unionid: req.wechat.unionid ?? null });
  });
  app.get('/demo/config', (_req, res) => res.json(config));
  app.get('/client.js', (_req, res) => res.type('js').send(clientScript));
  app.use(express.static(publicDir));
  return app;
}
