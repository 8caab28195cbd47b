import { createWechatClient, loginStateSignature } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

let now = Date.now();
let wechat: WechatStandIn;
const sent: { url: string; body: unknown }[] = [];
beforeAll(async () => {
  wechat = await startWechatStandIn({ now: () => now });
});
afterAll(() => wechat.close());

const client = () =>
  createWechatClient({
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    retries: 0,
    logger: false,
    now: () => now,
    fetch: (async (url: string, init: RequestInit) => {
      sent.push({ url, body: init.body });
      return fetch(url, init);
    }) as typeof fetch,
  });

describe('getUserEncryptKey', () => {
  it('asks with everything in the query and an empty body, signed as checksession is, and types the keys', async () => {
    const wx = client();
    const { openid, sessionKey } = await wx.code2Session(wechat.issueLoginCode({ openid: 'oCrypto' }));
    const keys = await wx.getUserEncryptKey({ openid, sessionKey });
    expect(keys).toEqual([
      {
        encryptKey: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
        iv: expect.stringMatching(/^[0-9a-f]{16}$/),
        version: 1,
        expireIn: 3600,
        createTime: Math.floor(now / 1000),
      },
    ]);
    const call = sent.find((s) => s.url.includes('getuserencryptkey'))!;
    const query = new URL(call.url).searchParams;
    expect(call.body).toBeUndefined();
    expect(query.get('openid')).toBe(openid);
    expect(query.get('sig_method')).toBe('hmac_sha256');
    expect(query.get('signature')).toBe(loginStateSignature(sessionKey));
  });

  it('keeps the keys per user until the newest expires, then asks again (a new version)', async () => {
    const wx = client();
    const { openid, sessionKey } = await wx.code2Session(wechat.issueLoginCode({ openid: 'oCryptoCache' }));
    const first = await wx.getUserEncryptKey({ openid, sessionKey });
    const before = wechat.calls.getuserencryptkey;
    now += 3_599_000;
    expect(await wx.getUserEncryptKey({ openid, sessionKey })).toEqual(first);
    expect(wechat.calls.getuserencryptkey).toBe(before);
    now += 2_000;
    const renewed = await wx.getUserEncryptKey({ openid, sessionKey });
    expect(wechat.calls.getuserencryptkey).toBe(before + 1);
    expect(renewed.map((k) => k.version)).toEqual([first[0]!.version + 1, first[0]!.version]);
  });

  it('rejects a session_key WeChat does not hold (87009) and a missing openid', async () => {
    const wx = client();
    await wx.code2Session(wechat.issueLoginCode({ openid: 'oCryptoStale' }));
    await expect(wx.getUserEncryptKey({ openid: 'oCryptoStale', sessionKey: 'AAAAAAAAAAAAAAAAAAAAAA==' })).rejects.toMatchObject({ errcode: 87009 });
    await expect(wx.getUserEncryptKey({ openid: '', sessionKey: 'x' })).rejects.toMatchObject({ code: 'WECHAT_BAD_REQUEST' });
  });
});
