import express, { type Express } from 'express';
import { IGNORED_BEARER, type BuiltConfig, type LoadShape, type ServerEnv } from './shared.js';

/**
 * Where every server process also serves bare Express (see
 * server-process.ts): the baseline each configuration is paired with.
 */
export const TWIN_PATH = '/bench/bare';

/** The bare request, as the load generator repeats it against `path`. */
export const bareLoad = (path: string): LoadShape => ({ method: 'GET', path, headers: IGNORED_BEARER });

/**
 * The protected route with no authentication at all, under `path`: the
 * ceiling. Same route table as the other configurations: a login route,
 * then the measured one.
 */
export function bareApp(openid: string, path: string): Express {
  const app = express();
  app.post('/login', (_req, res) => {
    res.status(204).end();
  });
  app.get(path, (_req, res) => {
    res.json({ openid });
  });
  return app;
}

export async function bareConfig(env: ServerEnv): Promise<BuiltConfig> {
  return {
    app: bareApp(env.fixture.openid, '/api/me'),
    load: async () => bareLoad('/api/me'),
    close: async () => undefined,
  };
}

/**
 * The least any session middleware costs: bare Express with one more
 * handler in the route, which sets `req.wechat` to a constant and calls
 * `next()`: no token, no lookup. The floor under the library's memory row.
 */
export async function noopLayerConfig(env: ServerEnv): Promise<BuiltConfig> {
  const app = express();
  const session = { openid: env.fixture.openid };
  app.post('/login', (_req, res) => {
    res.status(204).end();
  });
  app.get(
    '/api/me',
    (req, _res, next) => {
      (req as unknown as { wechat: typeof session }).wechat = session;
      next();
    },
    (req, res) => {
      res.json({ openid: (req as unknown as { wechat: typeof session }).wechat.openid });
    },
  );
  return { app, load: async () => bareLoad('/api/me'), close: async () => undefined };
}
