import { createWechatClient, WechatApiError, WechatError } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startWechatProxy, type WechatProxy } from './wechat-proxy.js';

let wechat: WechatStandIn;
let proxy: WechatProxy;
let h: Harness;

beforeAll(async () => {
  wechat = await startWechatStandIn();
  proxy = await startWechatProxy(wechat.url);
  h = await startHarness({ apiBaseUrl: proxy.url }, wechat);
});
afterAll(async () => {
  await h.close();
  await proxy.close();
  await wechat.close();
});
afterEach(() => {
  wechat.heal();
  proxy.watermarkAppId = undefined;
});

/** Post a phone code; then check the session survived whatever the answer was. */
async function redeem(token: string, body: unknown, path = '/api/phone') {
  const res = await h.post(path, body, token);
  expect((await h.get('/api/me', token)).status).toBe(200);
  return res;
}

describe('decryptPhone with a phone code (new flow)', () => {
  it('redeems the code and gives countryCode as a string although WeChat sends a number', async () => {
    const { token, openid } = await h.login();
    const code = wechat.issuePhoneCode(openid, { phoneNumber: '+86 13912345678', purePhoneNumber: '13912345678', countryCode: '86' });
    const before = wechat.calls.getuserphonenumber;
    const res = await redeem(token, { code });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phoneNumber: '+86 13912345678', purePhoneNumber: '13912345678', countryCode: '86' });
    expect(typeof res.body.countryCode).toBe('string');
    expect(wechat.calls.getuserphonenumber).toBe(before + 1);
    const sent = proxy.seen.filter((u) => u.pathname === '/wxa/business/getuserphonenumber').at(-1)!;
    expect(sent.searchParams.get('access_token')).toMatch(/.+/);
    expect(sent.searchParams.has('code')).toBe(false); // the code travels in the JSON body only
  });

  it('works through wechatRouter and with the getPhoneNumber detail as sent (code + errMsg)', async () => {
    const { token, openid } = await h.login();
    const res = await redeem(token, { code: wechat.issuePhoneCode(openid, '13700000000'), errMsg: 'getPhoneNumber:ok' }, '/wechat/phone');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phoneNumber: '13700000000', purePhoneNumber: '13700000000', countryCode: '86' });
  });

  it('answers 401 WECHAT_CODE_INVALID (40029) for a code used already', async () => {
    const { token, openid } = await h.login();
    const code = wechat.issuePhoneCode(openid);
    expect((await redeem(token, { code })).status).toBe(200);
    const res = await redeem(token, { code });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_CODE_INVALID', errcode: 40029 });
  });

  it('answers 401 WECHAT_CODE_INVALID (40029) for an unknown code', async () => {
    const { token } = await h.login();
    const res = await redeem(token, { code: 'e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_CODE_INVALID', errcode: 40029 });
  });

  it('answers 401 WECHAT_CODE_INVALID (40013) for a code of another mini-program', async () => {
    const { token, openid } = await h.login();
    const code = wechat.issuePhoneCode(openid, undefined, { appId: 'wx9999999999999999' });
    const res = await redeem(token, { code });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_CODE_INVALID', errcode: 40013 });
  });

  it("by default refuses another user's phone code: the session's openid is sent for WeChat to check", async () => {
    const alice = await h.login();
    const bob = await h.login();
    const res = await redeem(bob.token, { code: wechat.issuePhoneCode(alice.openid) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
    const code = wechat.issuePhoneCode(bob.openid);
    expect((await redeem(bob.token, { code })).status).toBe(200);
    const sent = proxy.seen.map((url, i) => [url.pathname, proxy.bodies[i]]).filter(([path]) => path === '/wxa/business/getuserphonenumber');
    expect(JSON.parse(sent[sent.length - 1]![1]!)).toEqual({ code, openid: bob.openid });
  });

  it("with bindPhoneCode false, sends only { code }, and another user's code is accepted", async () => {
    const unbound = await startHarness({ apiBaseUrl: proxy.url, bindPhoneCode: false }, wechat);
    try {
      const alice = await unbound.login();
      const bob = await unbound.login();
      const code = wechat.issuePhoneCode(alice.openid);
      expect((await unbound.post('/api/phone', { code }, bob.token)).status).toBe(200);
      const sent = proxy.seen.map((url, i) => [url.pathname, proxy.bodies[i]]).filter(([path]) => path === '/wxa/business/getuserphonenumber');
      expect(JSON.parse(sent[sent.length - 1]![1]!)).toEqual({ code });
    } finally {
      await unbound.close();
    }
  });

  it('answers 502 WECHAT_UPSTREAM_ERROR when an ok answer lacks phone_info, and keeps running', async () => {
    const { token, openid } = await h.login();
    wechat.omitPhoneInfo(1);
    const res = await redeem(token, { code: wechat.issuePhoneCode(openid) });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
    expect((await redeem(token, { code: wechat.issuePhoneCode(openid) })).status).toBe(200);
  });

  it("answers 400 WECHAT_WATERMARK_MISMATCH when the answer carries another app's watermark", async () => {
    const { token, openid } = await h.login();
    proxy.watermarkAppId = 'wx1111111111111111';
    const res = await redeem(token, { code: wechat.issuePhoneCode(openid) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_WATERMARK_MISMATCH');
  });

  it('answers 400 WECHAT_BAD_REQUEST for a code that cannot be one, without calling WeChat', async () => {
    const { token } = await h.login();
    const before = wechat.calls.getuserphonenumber;
    for (const code of ['', 'has space', 'x'.repeat(300)]) {
      const res = await redeem(token, { code });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('WECHAT_BAD_REQUEST');
    }
    expect(wechat.calls.getuserphonenumber).toBe(before);
  });

  it('answers 502 after bounded retries when WeChat stays busy, and succeeds when it is busy once', async () => {
    const { token, openid } = await h.login();
    wechat.fail('busy', { api: 'getuserphonenumber', times: 1 });
    expect((await redeem(token, { code: wechat.issuePhoneCode(openid) })).status).toBe(200);
    wechat.fail('busy', { api: 'getuserphonenumber' });
    const before = wechat.calls.getuserphonenumber;
    const res = await redeem(token, { code: wechat.issuePhoneCode(openid) });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
    expect(wechat.calls.getuserphonenumber - before).toBe(3); // first try + retries: 2 (the default)
  });
});

describe('WechatClient.getPhoneNumber outside Express', () => {
  const client = () => createWechatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, logger: false });

  it('redeems a code and rejects a used one with a typed error carrying errcode', async () => {
    const wx = client();
    const code = wechat.issuePhoneCode('oStandalone', '13600000000');
    expect(await wx.getPhoneNumber(code)).toEqual({ phoneNumber: '13600000000', purePhoneNumber: '13600000000', countryCode: '86' });
    const err = await wx.getPhoneNumber(code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({ code: 'WECHAT_CODE_INVALID', status: 401, errcode: 40029, api: 'getuserphonenumber' });
  });

  it('maps 40013 at getuserphonenumber to WECHAT_CODE_INVALID, not a configuration error', async () => {
    const err = await client()
      .getPhoneNumber(wechat.issuePhoneCode('oStandalone', undefined, { appId: 'wx2222222222222222' }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WECHAT_CODE_INVALID', errcode: 40013 });
  });

  it('rejects a non-string code with WECHAT_BAD_REQUEST', async () => {
    const err = await client()
      .getPhoneNumber(42 as unknown as string)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatError);
    expect(err).toMatchObject({ code: 'WECHAT_BAD_REQUEST', field: 'code' });
  });

  it('throws a TypeError at creation for wrong options', () => {
    expect(() => createWechatClient({ appId: 'wx1', appSecret: '' })).toThrow(TypeError);
    expect(() => createWechatClient({ appId: 'wx1', appSecret: 's', accessToken: 'both' as never })).toThrow(/accessToken/);
  });
});
