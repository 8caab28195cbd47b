import express from 'express';
import { requireWechatSession, WechatError, wechatHandler, wechatLogin, wechatSession, type WechatSessionOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen, recordingLogger } from '../support/harness.js';

/**
 * wechatHandler's errors take the middleware's own error path: a
 * `WechatError` is logged (`request.failed`) and answered as JSON, or with
 * `passErrors` handed to the app's error handler; the app's own errors go to
 * its error handler either way.
 */

let wechat: WechatStandIn;
beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());

interface Served {
  post(path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  logs: Record<string, unknown>[];
  passed: unknown[];
  close(): Promise<unknown>;
}

async function serve(extra: Partial<WechatSessionOptions> = {}): Promise<Served> {
  const lines: string[] = [];
  const passed: unknown[] = [];
  const ctx = wechatSession({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, logger: recordingLogger(lines), ...extra });
  const app = express();
  app.post(
    '/login',
    wechatLogin(ctx),
    wechatHandler((req, res) => res.json({ token: req.wechat.token })),
  );
  app.post(
    '/refused',
    requireWechatSession(ctx),
    wechatHandler(async () => {
      throw new WechatError('WECHAT_PERMISSION_DENIED', 'not for you');
    }),
  );
  app.post(
    '/broken',
    requireWechatSession(ctx),
    wechatHandler(() => {
      throw new Error('the app failed');
    }),
  );
  app.post(
    '/upstream',
    requireWechatSession(ctx),
    wechatHandler(() => Promise.reject(new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat failed'))),
  );
  app.post(
    '/open',
    wechatHandler((_req, res) => res.json({})),
  );
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    passed.push(err);
    res.status(418).json({ passed: err instanceof WechatError ? err.code : String(err) });
  });
  const { server, url } = await listen(app);
  return {
    async post(path, body = {}, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) };
      const res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    passed,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function loggedIn(s: Served, openid: string): Promise<string> {
  const login = await s.post('/login', { code: wechat.issueLoginCode({ openid }) });
  expect(login.status).toBe(200);
  return login.body.token as string;
}

const failedLines = (s: Served) => s.logs.filter((line) => line.event === 'request.failed');

it("answers a route's WechatError as JSON and logs it as the middleware's refusals are logged", async () => {
  const s = await serve();
  try {
    const token = await loggedIn(s, 'oHandlerRefused');
    expect(await s.post('/refused', {}, token)).toEqual({ status: 400, body: { error: { code: 'WECHAT_PERMISSION_DENIED', message: 'not for you' } } });
    expect(failedLines(s)).toEqual([expect.objectContaining({ level: 'debug', code: 'WECHAT_PERMISSION_DENIED', status: 400 })]);
    expect(await s.post('/upstream', {}, token)).toMatchObject({ status: 502, body: { error: { code: 'WECHAT_UPSTREAM_ERROR' } } });
    expect(failedLines(s)[1]).toMatchObject({ level: 'warn', code: 'WECHAT_UPSTREAM_ERROR', status: 502 });
    expect(s.passed).toEqual([]);
  } finally {
    await s.close();
  }
});

it("with passErrors, hands a route's WechatError to the app's error handler, logged all the same", async () => {
  const s = await serve({ passErrors: true });
  try {
    const token = await loggedIn(s, 'oHandlerPassed');
    expect(await s.post('/refused', {}, token)).toEqual({ status: 418, body: { passed: 'WECHAT_PERMISSION_DENIED' } });
    expect(s.passed).toEqual([expect.objectContaining({ code: 'WECHAT_PERMISSION_DENIED' })]);
    expect(failedLines(s)).toEqual([expect.objectContaining({ level: 'debug', code: 'WECHAT_PERMISSION_DENIED', status: 400 })]);
  } finally {
    await s.close();
  }
});

it.each([false, true])('hands the app its own errors as they are (passErrors %s), logging no internal error', async (passErrors) => {
  const s = await serve({ passErrors });
  try {
    const token = await loggedIn(s, `oHandlerBroken${passErrors}`);
    expect(await s.post('/broken', {}, token)).toEqual({ status: 418, body: { passed: 'Error: the app failed' } });
    expect(s.logs.filter((line) => line.event === 'request.failed' || line.event === 'internal_error')).toEqual([]);
  } finally {
    await s.close();
  }
});

it('refuses a route no middleware of ours ran before with 401 as JSON: there is no passErrors to read', async () => {
  const passing = await serve({ passErrors: true });
  try {
    expect(await passing.post('/open')).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_SESSION_REQUIRED' } } });
    expect(passing.passed).toEqual([]);
  } finally {
    await passing.close();
  }
});
