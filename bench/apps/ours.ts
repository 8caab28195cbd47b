import express from 'express';
import type { WechatSessionOptions, WechatStore } from '../../src/index.js';
import { library, memoryAdapter, redisAdapter } from '../library.js';
import { expectOk, postJson, type BuiltConfig, type LoadShape, type ServerEnv } from './shared.js';

export type OursStore = 'memory' | 'redis' | 'redis-csc';
export type OursRoute = 'resolve' | 'phone' | 'login';

async function openStore(kind: OursStore, redisUrl: string): Promise<{ store: WechatStore; close(): Promise<void> }> {
  if (kind === 'memory') return { store: memoryAdapter().memoryStore(), close: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createClient } = require('redis') as typeof import('redis');
  const client =
    kind === 'redis'
      ? createClient({ url: redisUrl })
      : createClient({ url: redisUrl, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 10_000 } });
  client.on('error', (error: Error) => console.error(`bench redis client: ${error.message}`));
  await client.connect();
  return { store: redisAdapter().redisStore({ client: client as never, prefix: 'bench:' }), close: () => client.close() };
}

/**
 * This library as the README wires it: `requireWechatSession` in front of a
 * small JSON route, `decryptPhone` on the phone route, `wechatLogin` on login.
 */
export async function oursConfig(env: ServerEnv, storeKind: OursStore, route: OursRoute): Promise<BuiltConfig> {
  const { store, close } = await openStore(storeKind, env.redisUrl);
  const { decryptPhone, requireWechatSession, wechatLogin } = library();
  const options: WechatSessionOptions = {
    appId: env.standIn.appId,
    appSecret: env.standIn.appSecret,
    apiBaseUrl: env.standIn.url,
    store,
  };
  // The measured route and, before it, the login route the set-up uses (as in every configuration).
  const app = express();
  app.post('/login', wechatLogin(options), (req, res) => {
    res.json({ token: req.wechat!.token });
  });
  if (route === 'resolve') {
    app.get('/api/me', requireWechatSession(options), (req, res) => {
      res.json({ openid: req.wechat!.openid });
    });
  }
  if (route === 'phone') {
    app.post('/api/phone', decryptPhone(options), (req, res) => {
      res.json(req.wechat!.phone);
    });
  }
  const load = async (base: string): Promise<LoadShape> => {
    if (route === 'login') return { method: 'POST', path: '/login', headers: {}, codes: true };
    const { body } = await postJson<{ token: string }>(`${base}/login`, { code: env.fixture.code });
    const headers = { authorization: `Bearer ${body.token}` };
    if (route === 'resolve') {
      await expectOk(`${base}/api/me`, headers, env.fixture.openid);
      return { method: 'GET', path: '/api/me', headers };
    }
    const payload = JSON.stringify({ encryptedData: env.fixture.encryptedData, iv: env.fixture.iv });
    return { method: 'POST', path: '/api/phone', headers, body: payload };
  };
  return { app, load, close };
}
