import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import {
  decryptPhone,
  getWechatClient,
  requireWechatSession,
  revokeWechatSessions,
  wechatHandler,
  wechatRouter,
  wechatSession,
  type WechatSessionContext,
  type WechatSessionOptions,
} from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen } from '../support/harness.js';

const SHOP = { appId: 'wx1111111111111111', appSecret: 'a'.repeat(32) };
const CLUB = { appId: 'wx2222222222222222', appSecret: 'b'.repeat(32) };
const MERCHANT = 'wx3333333333333333';
const REVOKED = 'wx4444444444444444';
const COMPONENT = 'wxc0000000000000cp';
const CORP = { corpId: 'ww0000000000000001', corpSecret: 'c'.repeat(32) };

let wechat: WechatStandIn;
beforeAll(async () => {
  wechat = await startWechatStandIn({
    apps: [SHOP, CLUB],
    component: { appId: COMPONENT, authorized: [MERCHANT], unauthorized: [REVOKED] },
    wecom: CORP,
  });
});
afterAll(() => wechat.close());

interface Answer {
  status: number;
  body: any;
}

async function serve(ctx: WechatSessionContext) {
  const app = express();
  app.use('/wechat', wechatRouter(ctx));
  app.get(
    '/api/me',
    requireWechatSession(ctx),
    wechatHandler((req, res) => res.json(req.wechat)),
  );
  app.post(
    '/api/phone',
    decryptPhone(ctx),
    wechatHandler((req, res) => res.json(req.wechat.phone)),
  );
  const { server, url } = await listen(app);
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  return {
    post: (path: string, body: unknown, headers: Record<string, string> = {}) => call('POST', path, headers, body),
    get: (path: string, headers: Record<string, string> = {}) => call('GET', path, headers),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const as = (appId: string, token?: string): Record<string, string> => ({ 'x-wx-appid': appId, ...(token && { authorization: `Bearer ${token}` }) });
const base = (): Partial<WechatSessionOptions> => ({ apiBaseUrl: wechat.url, store: memoryStore(), retries: 0, logger: false });

describe('several mini-programs', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let ctx: WechatSessionContext;
  beforeAll(async () => {
    ctx = wechatSession({ ...base(), apps: [SHOP, CLUB] });
    s = await serve(ctx);
  });
  afterAll(() => s.close());

  it('logs in to the app a request names, by X-WX-AppId or by WeChat’s Referer', async () => {
    const shop = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oShop', appId: SHOP.appId }) }, as(SHOP.appId));
    expect(shop.status).toBe(200);
    const referer = { referer: `https://servicewechat.com/${CLUB.appId}/3/page-frame.html` };
    const club = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oClub', appId: CLUB.appId }) }, referer);
    expect(club.status).toBe(200);
    expect((await s.get('/api/me', as(SHOP.appId, shop.body.token))).body).toMatchObject({ appId: SHOP.appId, openid: 'oShop' });
    expect((await s.get('/api/me', { ...referer, authorization: `Bearer ${club.body.token}` })).body).toMatchObject({ appId: CLUB.appId, openid: 'oClub' });
  });

  it('answers 400 WECHAT_APP_UNKNOWN, before any WeChat call, for a request that names no app or another one', async () => {
    const before = wechat.calls.jscode2session;
    const code = wechat.issueLoginCode({ appId: SHOP.appId });
    const attempts: Record<string, string>[] = [{}, as('wx9999999999999999'), { referer: 'https://example.com/wx1111111111111111/1/page-frame.html' }];
    for (const headers of attempts) {
      expect(await s.post('/wechat/login', { code }, headers)).toMatchObject({ status: 400, body: { error: { code: 'WECHAT_APP_UNKNOWN' } } });
    }
    expect(wechat.calls.jscode2session).toBe(before);
  });

  it('refuses a token of one app on a request that names the other, and a code of one app sent as the other (40029)', async () => {
    const shop = await s.post('/wechat/login', { code: wechat.issueLoginCode({ appId: SHOP.appId }) }, as(SHOP.appId));
    expect(await s.get('/api/me', as(CLUB.appId, shop.body.token))).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_SESSION_INVALID' } } });
    const forged = await s.post('/wechat/login', { code: wechat.issueLoginCode({ appId: SHOP.appId }) }, as(CLUB.appId));
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_CODE_INVALID' } } });
  });

  it('keeps one person’s sessions in two apps apart, and revokes per app', async () => {
    const inShop = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oBoth', appId: SHOP.appId }) }, as(SHOP.appId));
    const inClub = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oBoth', appId: CLUB.appId }) }, as(CLUB.appId));
    expect((await s.get('/api/me', as(SHOP.appId, inShop.body.token))).status).toBe(200);
    expect(await revokeWechatSessions(ctx, 'oBoth', { appId: CLUB.appId })).toBe(1);
    expect((await s.get('/api/me', as(CLUB.appId, inClub.body.token))).status).toBe(401);
    expect((await s.get('/api/me', as(SHOP.appId, inShop.body.token))).status).toBe(200);
    await expect(revokeWechatSessions(ctx, 'oBoth')).rejects.toMatchObject({ code: 'WECHAT_APP_UNKNOWN' });
  });

  it("redeems phone codes with each app's own access token, and checks legacy watermarks against the session's app", async () => {
    const login = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oPhone', appId: CLUB.appId }) }, as(CLUB.appId));
    const headers = as(CLUB.appId, login.body.token);
    const code = wechat.issuePhoneCode('oPhone', '13800138000', { appId: CLUB.appId });
    expect(await s.post('/api/phone', { code }, headers)).toMatchObject({ status: 200, body: { purePhoneNumber: '13800138000' } });
    const legacy = wechat.encryptPhone('oPhone', '13800138001', { appId: CLUB.appId });
    expect(await s.post('/api/phone', legacy, headers)).toMatchObject({ status: 200, body: { purePhoneNumber: '13800138001' } });
    const foreign = wechat.encryptPhone('oPhone', '13800138001', { appId: CLUB.appId, watermarkAppId: SHOP.appId });
    expect(await s.post('/api/phone', foreign, headers)).toMatchObject({ status: 400, body: { error: { code: 'WECHAT_WATERMARK_MISMATCH' } } });
    expect(getWechatClient(ctx, CLUB.appId).appId).toBe(CLUB.appId);
  });

  it('checks the apps at start-up', () => {
    expect(() => wechatSession({ apps: [{ appId: 'nope', appSecret: 'x' }] })).toThrow(/apps\[0\]\.appId/);
    expect(() => wechatSession({ apps: [SHOP, SHOP] })).toThrow(/apps\[1\]\.appId/);
    expect(() => wechatSession({ apps: [{ appId: SHOP.appId }] })).toThrow(/apps\[0\]\.appSecret/);
    expect(() => wechatSession({ apps: [] })).toThrow(/`apps`/);
    expect(() => wechatSession({ ...SHOP, apps: [CLUB] })).toThrow(/`appId`/);
  });
});

describe('a third-party platform', () => {
  const providers = { component: 0, authorizer: [] as string[] };
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const ctx = wechatSession({
      ...base(),
      component: { appId: COMPONENT, accessToken: async () => (providers.component++, wechat.componentAccessToken) },
      apps: [{ appId: MERCHANT }, { appId: REVOKED }],
      authorizerAccessToken: async (appId) => (providers.authorizer.push(appId), wechat.authorizerAccessToken(appId)),
    });
    s = await serve(ctx);
  });
  afterAll(() => s.close());

  it("logs an authorized mini-program's user in through the platform, and redeems phone codes with its authorizer token", async () => {
    const login = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oMerchant', appId: MERCHANT }) }, as(MERCHANT));
    expect(login).toMatchObject({ status: 200, body: { openid: 'oMerchant' } });
    const phone = await s.post('/api/phone', { code: wechat.issuePhoneCode('oMerchant', '13900139000', { appId: MERCHANT }) }, as(MERCHANT, login.body.token));
    expect(phone).toMatchObject({ status: 200, body: { purePhoneNumber: '13900139000' } });
    expect(providers.authorizer).toContain(MERCHANT);
    await s.post('/wechat/login', { code: wechat.issueLoginCode({ appId: MERCHANT }) }, as(MERCHANT));
    expect(providers.component).toBe(1); // cached
  });

  it('answers 403 WECHAT_APP_UNAUTHORIZED for a mini-program that has not authorized the platform (61003)', async () => {
    const res = await s.post('/wechat/login', { code: wechat.issueLoginCode({ appId: REVOKED }) }, as(REVOKED));
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'WECHAT_APP_UNAUTHORIZED' } } });
  });

  it('answers 502 for a provider that throws, and 504 for one that hangs, within `timeout`', async () => {
    for (const [provider, status] of [
      [async () => Promise.reject(new Error('plumbing down')), 502],
      [() => new Promise<string>(() => undefined), 504],
    ] as const) {
      const ctx = wechatSession({ ...base(), timeout: 300, component: { appId: COMPONENT, accessToken: provider }, apps: [{ appId: MERCHANT }] });
      const other = await serve(ctx);
      try {
        const res = await other.post('/wechat/login', { code: wechat.issueLoginCode({ appId: MERCHANT }) }, as(MERCHANT));
        expect(res.status).toBe(status);
      } finally {
        await other.close();
      }
    }
  });
});

describe('WeCom', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let ctx: WechatSessionContext;
  beforeAll(async () => {
    ctx = wechatSession({ ...base(), ...SHOP, wecom: { ...CORP, apiBaseUrl: wechat.url } });
    s = await serve(ctx);
  });
  afterAll(() => s.close());

  it('logs a member in with a wx.qy.login code: corpId and userId, no openid', async () => {
    const login = await s.post('/wechat/wecom/login', { code: wechat.issueWecomCode({ userId: 'zhangsan' }) });
    expect(login).toMatchObject({ status: 200, body: { corpId: CORP.corpId, userId: 'zhangsan', expiresIn: expect.any(Number) } });
    const me = await s.get('/api/me', { authorization: `Bearer ${login.body.token}` });
    expect(me).toMatchObject({ status: 200, body: { corpId: CORP.corpId, userId: 'zhangsan' } });
    expect(me.body.openid).toBeUndefined();
    const phone = await s.post('/api/phone', { code: 'x'.repeat(32) }, { authorization: `Bearer ${login.body.token}` });
    expect(phone).toMatchObject({ status: 400, body: { error: { code: 'WECHAT_BAD_REQUEST' } } });
    expect(await revokeWechatSessions(ctx, 'zhangsan', { wecom: true })).toBe(1);
    expect((await s.get('/api/me', { authorization: `Bearer ${login.body.token}` })).status).toBe(401);
  });

  it('answers 401 WECHAT_CODE_INVALID for a wx.login code, and fetches the corp token once', async () => {
    const res = await s.post('/wechat/wecom/login', { code: wechat.issueLoginCode({ appId: SHOP.appId }) });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_CODE_INVALID' } } });
    await s.post('/wechat/wecom/login', { code: wechat.issueWecomCode({}) });
    expect(wechat.calls.gettoken).toBe(1);
  });

  it('keeps the mini-program beside it working', async () => {
    const login = await s.post('/wechat/login', { code: wechat.issueLoginCode({ openid: 'oBeside', appId: SHOP.appId }) });
    expect((await s.get('/api/me', { authorization: `Bearer ${login.body.token}` })).body).toMatchObject({ openid: 'oBeside' });
  });
});
