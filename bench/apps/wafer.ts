import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import type { BuiltConfig, ServerEnv } from './shared.js';
import { expectOk } from './shared.js';

// wafer-node-session has no types of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const waferSession = require('wafer-node-session') as (options: Record<string, unknown>) => express.RequestHandler;

/**
 * wafer-node-session (Tencent's older middleware) on its default
 * express-session MemoryStore. Its login talks to api.weixin.qq.com itself,
 * so the session it would create is put in its store directly: id and skey
 * headers, `skey = sha1(appId + appSecret + session_key)`.
 */
export async function waferConfig(env: ServerEnv): Promise<BuiltConfig> {
  const { appId, appSecret } = env.standIn;
  const store = new session.MemoryStore();
  const app = express();
  app.use(waferSession({ appId, appSecret, loginPath: '/login', store }));
  app.get('/api/me', (req, res) => {
    const current = (req as unknown as { session?: { userInfo?: { openId?: string } } }).session;
    if (!current) {
      res.status(401).json({ error: 'login first' });
      return;
    }
    res.json({ openid: current.userInfo?.openId });
  });
  const load = async (base: string) => {
    const id = randomBytes(32).toString('hex');
    const skey = createHash('sha1').update(appId + appSecret + env.fixture.sessionKey, 'utf8').digest('hex');
    const cookie = new session.Cookie();
    cookie.maxAge = 24 * 3600 * 1000;
    const record = {
      id,
      skey,
      sessionKey: env.fixture.sessionKey,
      userInfo: { openId: env.fixture.openid },
      cookie,
    };
    await new Promise<void>((resolve, reject) => store.set(id, record as never, (err?: unknown) => (err ? reject(err) : resolve())));
    const headers = { 'x-wx-id': id, 'x-wx-skey': skey };
    await expectOk(`${base}/api/me`, headers, env.fixture.openid);
    return { method: 'GET' as const, path: '/api/me', headers };
  };
  return { app, load, close: async () => undefined };
}
