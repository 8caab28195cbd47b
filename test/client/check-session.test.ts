import vectors from '../fixtures/wechat-vectors.json';
import { createWechatClient, loginStateSignature, type WechatClient } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startWechatProxy, type WechatProxy } from './wechat-proxy.js';

interface SignatureVector {
  kind: string;
  algorithm?: string;
  sessionKey: string;
  rawData: string;
  signature: string;
}

const hmacVector = (vectors as unknown as SignatureVector[]).find((v) => v.kind === 'signature' && v.algorithm?.startsWith('hmac_sha256'))!;

let wechat: WechatStandIn;
let proxy: WechatProxy;
let wx: WechatClient;

beforeAll(async () => {
  wechat = await startWechatStandIn();
  proxy = await startWechatProxy(wechat.url);
  wx = createWechatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: proxy.url, retryDelay: 5, logger: false });
});
afterAll(async () => {
  await proxy.close();
  await wechat.close();
});
afterEach(() => wechat.heal());

describe('checkSessionKey', () => {
  it('signs like the official HMAC vector: the key is the session_key base64 text', () => {
    expect(hmacVector).toBeDefined();
    expect(loginStateSignature(hmacVector.sessionKey, hmacVector.rawData)).toBe(hmacVector.signature);
  });

  it('sends GET /wxa/checksession with hmac_sha256 over the empty string', async () => {
    await wx.checkSessionKey('oVectorUser', hmacVector.sessionKey);
    const sent = proxy.seen.filter((u) => u.pathname === '/wxa/checksession').at(-1)!;
    expect(sent.searchParams.get('sig_method')).toBe('hmac_sha256');
    expect(sent.searchParams.get('openid')).toBe('oVectorUser');
    expect(sent.searchParams.get('signature')).toBe(loginStateSignature(hmacVector.sessionKey, ''));
    // derived from the verified rule (wechat-api.md §4), not an official vector
    expect(sent.searchParams.get('signature')).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128');
    expect(sent.searchParams.get('access_token')).toMatch(/.+/);
  });

  it("resolves true (errcode 0) for the user's live session_key", async () => {
    wechat.issueLoginCode({ openid: 'oLive' });
    const before = wechat.calls.checksession;
    expect(await wx.checkSessionKey('oLive', wechat.sessionKeyOf('oLive')!)).toBe(true);
    expect(wechat.calls.checksession).toBe(before + 1);
  });

  it('resolves false (87009) once wx.login replaced the key, and for an unknown user', async () => {
    wechat.issueLoginCode({ openid: 'oRotated' });
    const old = wechat.sessionKeyOf('oRotated')!;
    wechat.issueLoginCode({ openid: 'oRotated' });
    expect(await wx.checkSessionKey('oRotated', old)).toBe(false);
    expect(await wx.checkSessionKey('oRotated', wechat.sessionKeyOf('oRotated')!)).toBe(true);
    expect(await wx.checkSessionKey('oNeverSeen', old)).toBe(false);
  });

  it('refreshes a refused access_token and asks once more', async () => {
    wechat.issueLoginCode({ openid: 'oTokenRefresh' });
    await wx.getAccessToken();
    wechat.invalidateAccessTokens();
    const before = wechat.calls;
    expect(await wx.checkSessionKey('oTokenRefresh', wechat.sessionKeyOf('oTokenRefresh')!)).toBe(true);
    expect(wechat.calls.checksession - before.checksession).toBe(2);
    expect(wechat.calls.stable_token - before.stable_token).toBe(1);
  });

  it('rejects with a typed error for other answers (87008 wrong sig_method)', async () => {
    wechat.fail({ errcode: 87008, errmsg: 'invalid sig_method' }, { api: 'checksession', times: 1 });
    await expect(wx.checkSessionKey('oLive', 'o0q0otL8aEzpcZL/FT9WsQ==')).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', errcode: 87008 });
  });
});

describe('decryptPhone with verifySessionKey: true (legacy flow)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ verifySessionKey: true }, wechat);
  });
  afterAll(() => h.close());

  it('answers 401 WECHAT_SESSION_KEY_MISMATCH when WeChat confirms the key is dead (87009)', async () => {
    const { token, openid } = await h.login();
    wechat.issueLoginCode({ openid }); // wx.login again on the phone: the session's key is dead at WeChat
    const before = wechat.calls.checksession;
    const res = await h.post('/api/phone', wechat.encryptPhone(openid), token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    expect(wechat.calls.checksession).toBe(before + 1);
    expect((await h.get('/api/me', token)).status).toBe(200);
  });

  it('answers 400 WECHAT_BAD_REQUEST when WeChat says the key is live: the data, not the session, is stale', async () => {
    const { token } = await h.login();
    const other = await h.login();
    const before = wechat.calls.checksession;
    const res = await h.post('/api/phone', wechat.encryptPhone(other.openid), token); // made with another key
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_BAD_REQUEST', field: 'encryptedData' });
    expect(wechat.calls.checksession).toBe(before + 1);
    expect((await h.get('/api/me', token)).status).toBe(200);
  });

  it('falls back to WECHAT_SESSION_KEY_MISMATCH when checksession itself fails', async () => {
    const { token } = await h.login();
    const other = await h.login();
    wechat.fail('http500', { api: 'checksession' });
    const res = await h.post('/api/phone', wechat.encryptPhone(other.openid), token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
  });

  it('does not ask WeChat when the option is off', async () => {
    const plain = await startHarness({}, wechat);
    try {
      const { token, openid } = await plain.login();
      wechat.issueLoginCode({ openid });
      const before = wechat.calls.checksession;
      const res = await plain.post('/api/phone', wechat.encryptPhone(openid), token);
      expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
      expect(wechat.calls.checksession).toBe(before);
    } finally {
      await plain.close();
    }
  });
});
