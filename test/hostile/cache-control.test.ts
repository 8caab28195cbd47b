import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import { decryptPhone, requireWechatSession, wechatErrorHandler, wechatLogin, wechatLogout, wechatRouter, type WechatStore } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen } from '../support/harness.js';

/**
 * Every answer the library writes or prepares, success and failure, on the
 * router and on each middleware alone, says `Cache-Control: no-store`:
 * they carry tokens, sessions or phone numbers.
 */

let wechat: WechatStandIn;
let url: string;
let close: () => Promise<void>;
let broken = false;

beforeAll(async () => {
  wechat = await startWechatStandIn();
  const inner = memoryStore();
  const store: WechatStore = {
    get: (k) => (broken ? Promise.reject(new Error('down')) : inner.get(k)),
    set: (k, v, t) => (broken ? Promise.reject(new Error('down')) : inner.set(k, v, t)),
    destroy: (k) => (broken ? Promise.reject(new Error('down')) : inner.destroy(k)),
  };
  const options = { appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, store, logger: false as const, timeout: 300, retries: 0 };
  const passing = { ...options, passErrors: true };
  const app = express();
  app.use('/wechat', wechatRouter(options));
  app.post('/alone/login', wechatLogin(options), (req, res) => res.json({ token: req.wechat!.token }));
  app.get('/alone/me', requireWechatSession(options), (req, res) => res.json({ openid: req.wechat!.openid }));
  app.post('/alone/phone', decryptPhone(options), (req, res) => res.json(req.wechat!.phone));
  app.post('/alone/logout', wechatLogout(options), (_req, res) => res.status(204).end());
  app.post('/passing/login', wechatLogin(passing), (req, res) => res.json({ token: req.wechat!.token }));
  app.use(wechatErrorHandler());
  const server = await listen(app);
  url = server.url;
  close = async () => {
    server.server.closeAllConnections();
    await new Promise((r) => server.server.close(r));
    await wechat.close();
  };
});
afterAll(() => close());

async function send(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; cacheControl: string | null; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, cacheControl: res.headers.get('cache-control'), body: text ? JSON.parse(text) : undefined };
}

async function login(path = '/wechat/login'): Promise<{ token: string; openid: string }> {
  const openid = `oCache${Math.random().toString(36).slice(2)}`;
  const res = await send('POST', path, { code: wechat.issueLoginCode({ openid }) });
  expect(res.status).toBe(200);
  expect(res.cacheControl).toBe('no-store');
  return { token: res.body.token, openid };
}

it('says no-store on every success', async () => {
  await login('/alone/login');
  const { token, openid } = await login();
  const answers = [
    await send('GET', '/wechat/session', undefined, token),
    await send('POST', '/wechat/phone', wechat.encryptPhone(openid), token),
    await send('POST', '/alone/phone', { code: wechat.issuePhoneCode(openid) }, token),
    await send('POST', '/wechat/logout', {}, token),
  ];
  const other = await login();
  answers.push(await send('POST', '/alone/logout', {}, other.token));
  expect(answers.map((a) => [a.status, a.cacheControl])).toEqual([
    [200, 'no-store'],
    [200, 'no-store'],
    [200, 'no-store'],
    [204, 'no-store'],
    [204, 'no-store'],
  ]);
});

it('says no-store on every failure, ours or handed to the app with passErrors', async () => {
  const { token } = await login();
  const answers = [
    await send('POST', '/wechat/login', { code: 'never-issued' }),
    await send('POST', '/wechat/login', {}),
    await send('POST', '/alone/login', { code: 'never-issued' }),
    await send('POST', '/passing/login', { code: 'never-issued' }),
    await send('GET', '/wechat/session'),
    await send('GET', '/wechat/session', undefined, 'x'.repeat(32)),
    await send('GET', '/alone/me', undefined, 'short'),
    await send('POST', '/wechat/phone', { encryptedData: 'AAAA' }, token),
    await send('POST', '/alone/phone', {}, token),
    await send('POST', '/wechat/logout', {}),
    await send('POST', '/alone/logout', {}, 'y'.repeat(32)),
  ];
  wechat.fail('garbage', { api: 'jscode2session', times: 1 });
  answers.push(await send('POST', '/wechat/login', { code: wechat.issueLoginCode() }));
  broken = true;
  try {
    answers.push(await send('GET', '/wechat/session', undefined, token), await send('GET', '/alone/me', undefined, token));
  } finally {
    broken = false;
  }
  for (const answer of answers) {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.cacheControl).toBe('no-store');
  }
  expect(answers.map((a) => a.status)).toEqual(expect.arrayContaining([400, 401, 502, 503]));
});
