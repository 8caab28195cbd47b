import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import type { BuiltConfig, LoadShape, ServerEnv } from './shared.js';
import { expectOk } from './shared.js';

declare module 'express-session' {
  interface SessionData {
    openid: string;
  }
}

const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

/**
 * The incumbent: express-session with a cookie, MemoryStore or connect-redis
 * on the same Redis, as their READMEs set them up (resave and
 * saveUninitialized off), in front of the same route.
 */
export async function expressSessionConfig(env: ServerEnv, storeKind: 'memory' | 'redis'): Promise<BuiltConfig> {
  const client = storeKind === 'redis' ? createClient({ url: env.redisUrl }) : undefined;
  if (client) {
    client.on('error', (error: Error) => console.error(`bench redis client: ${error.message}`));
    await client.connect();
  }
  const store = client ? new RedisStore({ client, prefix: 'bench-es:' }) : new session.MemoryStore();
  const app = express();
  app.use(
    session({
      store,
      secret: 'bench secret that is long enough to be realistic',
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: THREE_DAYS_MS, httpOnly: true },
    }),
  );
  // Stands in for a login route: puts the user on the session (not measured).
  app.post('/login', (req, res) => {
    req.session.openid = env.fixture.openid;
    res.json({ ok: true });
  });
  app.get('/api/me', (req, res) => {
    if (!req.session.openid) {
      res.status(401).json({ error: 'login first' });
      return;
    }
    res.json({ openid: req.session.openid });
  });
  const load = async (base: string): Promise<LoadShape> => {
    const res = await fetch(`${base}/login`, { method: 'POST' });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!res.ok || !cookie) throw new Error(`express-session login answered ${res.status} without a cookie`);
    const headers = { cookie };
    await expectOk(`${base}/api/me`, headers, env.fixture.openid);
    return { method: 'GET', path: '/api/me', headers };
  };
  return { app, load, close: async () => void (await client?.close()) };
}
