import { inspect } from 'node:util';
import express from 'express';
import express4 from 'express4';
import { memoryStore } from '../../adapters/memory.js';
import {
  getWechatClient,
  requireWechatSession,
  WechatError,
  wechatErrorHandler,
  wechatHandler,
  wechatLogin,
  wechatRouter,
  wechatSession,
  type WechatSessionOptions,
} from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen } from '../support/harness.js';

let wechat: WechatStandIn;
beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());

const base = (): WechatSessionOptions => ({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, logger: false });
const json = { 'content-type': 'application/json' };

async function serve(app: express.Express | ReturnType<typeof express4>) {
  const { server, url } = await listen(app as never);
  return {
    url,
    post: async (path: string, body: unknown, headers: Record<string, string> = json) => {
      const res = await fetch(url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: await res.json().catch(() => undefined) };
    },
    get: async (path: string, token?: string) => {
      const res = await fetch(url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, headers: res.headers, body: await res.json().catch(() => undefined) };
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('options', () => {
  it('refuses an unknown option, naming the one that was meant', () => {
    expect(() => wechatSession({ ...base(), tll: 60 } as never)).toThrow(TypeError);
    expect(() => wechatSession({ ...base(), tll: 60 } as never)).toThrow(/did you mean `ttl`/);
    expect(() => wechatSession({ ...base(), apiBaseURL: wechat.url } as never)).toThrow(/did you mean `apiBaseUrl`/);
    expect(() => requireWechatSession({ ...base(), nonsense: 1 } as never)).toThrow(/unknown option `nonsense`/);
  });

  it('checks the logger, and accepts https or a loopback http base URL only', () => {
    expect(() => wechatSession({ ...base(), logger: 'pino' as never })).toThrow(/`logger`/);
    expect(() => wechatSession({ ...base(), logger: { info() {} } as never })).toThrow(/`logger`/);
    expect(() => wechatSession({ ...base(), apiBaseUrl: 'http://api.weixin.qq.com' })).toThrow(/`apiBaseUrl`/);
    expect(() => wechatSession({ ...base(), apiBaseUrl: 'https://api.weixin.qq.com?x=1' })).toThrow(/`apiBaseUrl`/);
    expect(() => wechatSession({ ...base(), apiBaseUrl: 'https://api.weixin.qq.com/' })).not.toThrow();
    expect(() => wechatSession({ ...base(), apiBaseUrl: 'http://localhost:8080' })).not.toThrow();
  });

  it('shows neither the AppSecret nor its parts when inspected', () => {
    const ctx = wechatSession({ ...base(), appSecret: 'S3cretS3cretS3cretS3cretS3cret00' });
    expect(inspect(ctx, { depth: Infinity, showHidden: true })).not.toContain('S3cret');
    expect(inspect(getWechatClient(ctx), { depth: Infinity, showHidden: true })).not.toContain('S3cret');
  });
});

describe('the shared object', () => {
  it('serves every factory: a token from wechatLogin(wechat) resolves in requireWechatSession(wechat)', async () => {
    const ctx = wechatSession(base());
    const app = express();
    app.post(
      '/login',
      wechatLogin(ctx),
      wechatHandler((req, res) => res.json({ token: req.wechat.token })),
    );
    app.get(
      '/me',
      requireWechatSession(ctx),
      wechatHandler((req, res) => res.json({ openid: req.wechat.openid })),
    );
    const s = await serve(app);
    try {
      const { body } = await s.post('/login', { code: wechat.issueLoginCode({ openid: 'oShared' }) });
      expect(await s.get('/me', body.token)).toMatchObject({ status: 200, body: { openid: 'oShared' } });
      expect(ctx.logins.size).toBe(0); // nothing of a settled login is kept
    } finally {
      await s.close();
    }
  });

  it('lets options written inline per middleware share sessions, and a spread share the store it names', async () => {
    const store = memoryStore();
    const named = { ...base(), store };
    const app = express();
    app.post(
      '/login',
      wechatLogin({ ...base() }),
      wechatHandler((req, res) => res.json({ token: req.wechat.token })),
    );
    app.get(
      '/me',
      requireWechatSession({ ...base() }),
      wechatHandler((req, res) => res.json({ openid: req.wechat.openid })),
    );
    app.post(
      '/named/login',
      wechatLogin(named),
      wechatHandler((req, res) => res.json({ token: req.wechat.token })),
    );
    app.get(
      '/named/me',
      requireWechatSession({ ...named, ttl: 60 }),
      wechatHandler((req, res) => res.json({ openid: req.wechat.openid })),
    );
    const s = await serve(app);
    try {
      const inline = await s.post('/login', { code: wechat.issueLoginCode({ openid: 'oInline' }) });
      expect(await s.get('/me', inline.body.token)).toMatchObject({ status: 200, body: { openid: 'oInline' } });
      const spread = await s.post('/named/login', { code: wechat.issueLoginCode({ openid: 'oSpread' }) });
      expect(await s.get('/named/me', spread.body.token)).toMatchObject({ status: 200, body: { openid: 'oSpread' } });
      expect((await s.get('/named/me', inline.body.token)).status).toBe(401); // another store
    } finally {
      await s.close();
    }
  });
});

describe('onLogin', () => {
  it("runs before the answer: saves the app's fields on the session and adds fields to the router's answer", async () => {
    const seen: string[] = [];
    const ctx = wechatSession({
      ...base(),
      onLogin: async (session, req) => {
        seen.push(`${session.openid} ${req.path}`);
        await session.save({ userId: 7 } as never);
        return { userId: 7, isNew: true };
      },
    });
    const app = express();
    app.use('/wechat', wechatRouter(ctx));
    const s = await serve(app);
    try {
      const login = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oHook' }) });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ openid: 'oHook', userId: 7, isNew: true });
      expect(seen).toEqual(['oHook /login']);
      expect((await s.get('/wechat/session', login.body.token)).body.data).toEqual({ userId: 7 });
    } finally {
      await s.close();
    }
  });

  it("answers a hook's WechatError as JSON, hands the app's own error to its error handler, and keeps no session of it", async () => {
    const store = memoryStore();
    let fail: unknown;
    const ctx = wechatSession({ ...base(), store, onLogin: async () => Promise.reject(fail) });
    const app = express();
    app.use('/wechat', wechatRouter(ctx));
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(418).json({ app: String(err) }));
    const s = await serve(app);
    try {
      fail = new WechatError('WECHAT_USER_BLOCKED', 'not today');
      const refused = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oHookFail' }) });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: 'WECHAT_USER_BLOCKED' } } });
      fail = new Error('users table down');
      const broken = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oHookFail' }) });
      expect(broken).toMatchObject({ status: 418, body: { app: 'Error: users table down' } });
      expect(store.keys().filter((k) => k.includes(':s:'))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('Express 4 and 5 alike', () => {
  it.each([
    ['Express 4', () => express4()],
    ['Express 5', () => express()],
  ])('%s: a rejected save() answers through the error path, and a form login passes express.json()', async (_name, make) => {
    const inner = memoryStore();
    let failWrites = false;
    const store = { ...inner, replace: (k: string, v: string, t: number) => (failWrites ? Promise.reject(new Error('down')) : inner.replace(k, v, t)) };
    const ctx = wechatSession({ ...base(), store });
    const app = make() as express.Express;
    app.use(express.json());
    app.post(
      '/login',
      wechatLogin(ctx),
      wechatHandler((req, res) => res.json({ token: req.wechat.token })),
    );
    app.post(
      '/save',
      requireWechatSession(ctx),
      wechatHandler(async (req, res) => {
        await req.wechat.save({ n: 1 } as never);
        res.json(req.wechat.data);
      }),
    );
    app.get(
      '/open',
      wechatHandler((_req, res) => res.json({})),
    );
    const s = await serve(app);
    try {
      const form = await s.post('/login', `code=${wechat.issueLoginCode({ openid: 'oForm' })}`, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(200);
      expect((await s.post('/save', {}, { ...json, authorization: `Bearer ${form.body.token}` })).status).toBe(200);
      failWrites = true;
      const failed = await s.post('/save', {}, { ...json, authorization: `Bearer ${form.body.token}` });
      expect(failed).toMatchObject({ status: 503, body: { error: { code: 'WECHAT_STORE_UNAVAILABLE' } } });
      expect(await s.get('/open')).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_SESSION_REQUIRED' } } });
    } finally {
      await s.close();
    }
  });
});

describe('wechatRouter', () => {
  it('answers JSON 404 and 405 (with Allow) under its mount, and leaves the root to the app', async () => {
    const ctx = wechatSession(base());
    const app = express();
    app.use('/wechat', wechatRouter(ctx));
    const root = express();
    root.use(wechatRouter(ctx));
    root.get('/elsewhere', (_req, res) => res.json({ app: true }));
    root.use(wechatErrorHandler());
    const s = await serve(app);
    const r = await serve(root);
    try {
      const wrongMethod = await s.get('/wechat/login');
      expect(wrongMethod).toMatchObject({ status: 405, body: { error: { code: 'WECHAT_METHOD_NOT_ALLOWED' } } });
      expect(wrongMethod.headers.get('allow')).toBe('POST');
      expect((await s.post('/wechat/session', {})).headers.get('allow')).toBe('GET');
      expect(await s.get('/wechat/nope')).toMatchObject({ status: 404, body: { error: { code: 'WECHAT_NOT_FOUND' } } });
      expect(await r.get('/elsewhere')).toMatchObject({ status: 200, body: { app: true } });
    } finally {
      await s.close();
      await r.close();
    }
  });
});
