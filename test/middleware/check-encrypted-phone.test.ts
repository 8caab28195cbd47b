import { encryptedMsgHash } from '../../src/client/business.js';
import { encryptWechatData, startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('the checkencryptedmsg hash', () => {
  it('is SHA-256 hex of the base64 text, as the docs’ sample gives it', () => {
    const text =
      'hsSuSUsePBqSQw2rYMtf9Nvha603xX8f2BMQBcYRoJiMNwOqt/UEhrqekebG5ar0LFNAm5MD4Uz6zorRwiXJwbySJ/FEJHav4NsobBIU1PwdjbJWVQLFy7+YFkHB32OnQXWMh6ugW7Dyk2KS5BXp1f5lniKPp1KNLyNLlFlNZ2mgJCJmWvHj5AI7BLpWwoRvqRyZvVXo+9FsWqvBdxmAPA==';
    expect(encryptedMsgHash(text)).toBe('657edd868c9715a9bebe42b833269a557a48498785397a796f1568c29a200b2c');
    expect(encryptedMsgHash(text.replace(/\+/g, ' '))).toBe('657edd868c9715a9bebe42b833269a557a48498785397a796f1568c29a200b2c');
  });
});

describe('checkEncryptedPhone', () => {
  let wechat: WechatStandIn;
  let now = Date.now();
  beforeAll(async () => {
    wechat = await startWechatStandIn({ now: () => now });
  });
  afterAll(() => wechat.close());

  async function withApp(extra: object, run: (h: Harness) => Promise<void>): Promise<void> {
    const h = await startHarness({ retries: 0, ...extra }, wechat);
    try {
      await run(h);
    } finally {
      await h.close();
    }
  }

  it('answers the number once WeChat confirms it produced the encryptedData (one call per phone read)', () =>
    withApp({ checkEncryptedPhone: true }, async (h) => {
      const { token, openid } = await h.login();
      const before = wechat.calls.checkencryptedmsg;
      const res = await h.post('/api/phone', wechat.encryptPhone(openid, '13711112222'), token);
      expect(res.status).toBe(200);
      expect(res.body.purePhoneNumber).toBe('13711112222');
      expect(wechat.calls.checkencryptedmsg).toBe(before + 1);
    }));

  it('answers 400 WECHAT_BAD_REQUEST for encryptedData WeChat did not make (errcode 1), though it decrypts', () =>
    withApp({ checkEncryptedPhone: true }, async (h) => {
      const { token, openid } = await h.login();
      const forged = encryptWechatData(
        wechat.sessionKeyOf(openid)!,
        JSON.stringify({ phoneNumber: '1', purePhoneNumber: '1', countryCode: '86', watermark: { appid: wechat.appId, timestamp: 1 } }),
      );
      const res = await h.post('/api/phone', forged, token);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('WECHAT_BAD_REQUEST');
    }));

  it('answers 400 for encryptedData older than 3 days', () =>
    withApp({ checkEncryptedPhone: true }, async (h) => {
      const { token, openid } = await h.login();
      const payload = wechat.encryptPhone(openid, '13711112222');
      now += 3 * 24 * 3600 * 1000 + 1000;
      try {
        const res = await h.post('/api/phone', payload, token);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('WECHAT_BAD_REQUEST');
      } finally {
        now = Date.now();
      }
    }));

  it('answers 400 when WeChat answers vaild: false (sic), and never the number', () => {
    const fetchSaysNo = (async (url: string, init: RequestInit) =>
      url.includes('checkencryptedmsg') ? new Response('{"errcode":0,"errmsg":"ok","vaild":false,"create_time":0}') : fetch(url, init)) as typeof fetch;
    return withApp({ checkEncryptedPhone: true, fetch: fetchSaysNo }, async (h) => {
      const { token, openid } = await h.login();
      const res = await h.post('/api/phone', wechat.encryptPhone(openid, '13711112222'), token);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('WECHAT_BAD_REQUEST');
      expect(JSON.stringify(res.body)).not.toContain('13711112222');
    });
  });

  it('is off by default: no WeChat call', () =>
    withApp({}, async (h) => {
      const { token, openid } = await h.login();
      const before = wechat.calls.checkencryptedmsg;
      expect((await h.post('/api/phone', wechat.encryptPhone(openid), token)).status).toBe(200);
      expect(wechat.calls.checkencryptedmsg).toBe(before);
    }));
});
