import express from 'express';
import { wechatLogin } from '../../src/index.js';
import { listen, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => h.wechat.heal());

describe('POST /wechat/login', () => {
  it('exchanges a JSON code for a token and never sends the session_key', async () => {
    const code = h.wechat.issueLoginCode({ openid: 'oUser-json', unionid: 'uUnion-1' });
    const res = await h.post('/wechat/login', { code });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.body).toMatchObject({ openid: 'oUser-json', unionid: 'uUnion-1', expiresIn: 259200 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(res.body)).not.toContain(h.wechat.sessionKeyOf('oUser-json'));
    const me = await h.get('/api/me', res.body.token);
    expect(me.body).toEqual({ openid: 'oUser-json', unionid: 'uUnion-1', data: {} });
  });

  it('accepts a form-encoded code', async () => {
    const code = h.wechat.issueLoginCode({ openid: 'oUser-form' });
    const res = await fetch(`${h.url}/wechat/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code }).toString(),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).openid).toBe('oUser-form');
  });

  it('works behind a body parser the app already runs', async () => {
    const app = express();
    app.use(express.json());
    app.post('/login', wechatLogin(h.options), (req, res) => res.json({ openid: req.wechat!.openid }));
    const { server, url } = await listen(app);
    try {
      const code = h.wechat.issueLoginCode({ openid: 'oParsed' });
      const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      expect(await res.json()).toEqual({ openid: 'oParsed' });
    } finally {
      server.close();
    }
  });

  it.each([
    ['no body', undefined, 'application/json'],
    ['an empty object', '{}', 'application/json'],
    ['non-JSON', 'code=', 'application/json'],
    ['a JSON array', '["x"]', 'application/json'],
    ['a number code', '{"code":12}', 'application/json'],
    ['a code with spaces', '{"code":"a b"}', 'application/json'],
    ['plain text', 'hello', 'text/plain'],
    ['repeated form fields', 'code=a&code=b', 'application/x-www-form-urlencoded'],
  ])('answers 400 WECHAT_BAD_REQUEST for %s', async (_what, body, type) => {
    const res = await fetch(`${h.url}/wechat/login`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('WECHAT_BAD_REQUEST');
  });

  it('answers 413 WECHAT_BODY_TOO_LARGE for a body over the limit', async () => {
    const res = await h.post('/wechat/login', { code: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('WECHAT_BODY_TOO_LARGE');
  });

  it('refuses codes of a shape WeChat never issues with 400, without calling WeChat', async () => {
    const before = h.wechat.calls.jscode2session;
    for (const code of ['short', 'has space inside it', 'semi;colon;separated', 'x'.repeat(129), 'line\nbreak0000000', 'ünïcödé-code-value']) {
      const res = await h.post('/wechat/login', { code });
      expect({ code, status: res.status, error: res.body.error.code }).toEqual({ code, status: 400, error: 'WECHAT_BAD_REQUEST' });
    }
    expect(h.wechat.calls.jscode2session).toBe(before);
  });

  it('answers 401 WECHAT_CODE_INVALID for an unknown code (40029)', async () => {
    const res = await h.post('/wechat/login', { code: '0a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_CODE_INVALID', errcode: 40029 });
  });

  it('answers 401 WECHAT_CODE_USED for a code exchanged twice (40163)', async () => {
    const code = h.wechat.issueLoginCode();
    expect((await h.post('/wechat/login', { code })).status).toBe(200);
    const again = await h.post('/wechat/login', { code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('WECHAT_CODE_USED');
  });

  it('answers 403 WECHAT_USER_BLOCKED for a blocked user (40226)', async () => {
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode({ blocked: true }) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WECHAT_USER_BLOCKED');
  });

  it('answers 429 WECHAT_RATE_LIMITED for 45011 without retrying', async () => {
    h.wechat.resetCalls();
    h.wechat.fail({ errcode: 45011, errmsg: 'api minute-quota reach limit' }, { api: 'jscode2session' });
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode() });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('WECHAT_RATE_LIMITED');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(h.wechat.calls.jscode2session).toBe(1);
  });

  it.each([40013, 40125, 40164, 40243, 41002, 41004, 40002])('answers 500 WECHAT_CONFIG_ERROR for errcode %i', async (errcode) => {
    h.wechat.fail({ errcode }, { api: 'jscode2session' });
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode() });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('WECHAT_CONFIG_ERROR');
    expect(JSON.stringify(res.body)).not.toContain(h.wechat.appSecret);
  });

  it('answers 500 WECHAT_CONFIG_ERROR when the real stand-in rejects a wrong secret', async () => {
    const other = await startHarness({ appSecret: 'not-the-secret' }, h.wechat);
    try {
      const res = await other.post('/wechat/login', { code: h.wechat.issueLoginCode() });
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({ code: 'WECHAT_CONFIG_ERROR', message: expect.any(String) });
      expect(JSON.stringify(other.logs)).not.toContain('not-the-secret');
    } finally {
      await other.close();
    }
  });

  it('retries a busy WeChat (-1) and succeeds when it recovers', async () => {
    h.wechat.resetCalls();
    h.wechat.fail('busy', { api: 'jscode2session', times: 2 });
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode() });
    expect(res.status).toBe(200);
    expect(h.wechat.calls.jscode2session).toBe(3);
  });

  it.each(['busy', 'http500', 'garbage', 'reset'] as const)('answers 502 WECHAT_UPSTREAM_ERROR when WeChat stays %s', async (mode) => {
    h.wechat.fail(mode, { api: 'jscode2session' });
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode() });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
  });

  it.each(['slow', 'hang'] as const)('answers 504 WECHAT_UPSTREAM_TIMEOUT when WeChat is %s', async (mode) => {
    h.wechat.fail(mode, { api: 'jscode2session', delayMs: 3000 });
    const started = Date.now();
    const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode() });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('shares one exchange and one session among concurrent requests with one code', async () => {
    h.wechat.resetCalls();
    const code = h.wechat.issueLoginCode({ openid: 'oConcurrent' });
    // WeChat takes 150 ms, so every request overlaps the exchange.
    h.wechat.fail('slow', { api: 'jscode2session', times: 1, delayMs: 150 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.post('/wechat/login', { code })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.token)).size).toBe(1);
    expect(h.wechat.calls.jscode2session).toBe(1);
    const later = await h.post('/wechat/login', { code });
    expect(later.body.error.code).toBe('WECHAT_CODE_USED');
  });

  it('verifies and decrypts the legacy getUserInfo payload sent with the code', async () => {
    const code = h.wechat.issueLoginCode({ openid: 'oLegacy' });
    const payload = h.wechat.encryptUserInfo('oLegacy', { nickName: '克罗地亚幻想' });
    const res = await h.post('/wechat/login', { code, ...payload });
    expect(res.status).toBe(200);
    expect(res.body.userInfo).toMatchObject({ nickName: '克罗地亚幻想', watermark: { appid: h.wechat.appId } });
  });

  it('refuses a forged getUserInfo signature and keeps no session', async () => {
    const code = h.wechat.issueLoginCode({ openid: 'oForged' });
    const payload = h.wechat.encryptUserInfo('oForged');
    const res = await h.post('/wechat/login', { code, rawData: payload.rawData, signature: 'f'.repeat(40) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SIGNATURE_INVALID');
  });

  it('refuses a getUserInfo payload made before the latest wx.login', async () => {
    const first = h.wechat.issueLoginCode({ openid: 'oStaleInfo' });
    const payload = h.wechat.encryptUserInfo('oStaleInfo');
    void first;
    const code = h.wechat.issueLoginCode({ openid: 'oStaleInfo' });
    const res = await h.post('/wechat/login', { code, encryptedData: payload.encryptedData, iv: payload.iv });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
  });
});
