import express from 'express';
import { IGNORED_BEARER, type BuiltConfig, type ServerEnv } from './shared.js';

/** The protected route with no authentication at all: the ceiling. */
export async function bareConfig(env: ServerEnv): Promise<BuiltConfig> {
  const app = express();
  const openid = env.fixture.openid;
  // Same route table as the other configurations: a login route, then the measured one.
  app.post('/login', (_req, res) => {
    res.status(204).end();
  });
  app.get('/api/me', (_req, res) => {
    res.json({ openid });
  });
  return {
    app,
    load: async () => ({ method: 'GET', path: '/api/me', headers: IGNORED_BEARER }),
    close: async () => undefined,
  };
}
