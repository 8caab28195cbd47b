import { createDecipheriv, createHash } from 'node:crypto';
import { encryptWechatData, startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const START = Date.UTC(2025, 0, 1);
let nowMs = START;
let wechat: WechatStandIn;
let token: string;

beforeAll(async () => {
  wechat = await startWechatStandIn({ now: () => nowMs });
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret });
  const body = (await (await fetch(`${wechat.url}/cgi-bin/token?${query.toString()}`)).json()) as {
    access_token: string;
  };
  token = body.access_token;
});
afterAll(() => wechat.close());
beforeEach(() => {
  nowMs = START;
});

async function redeem(body: string, query: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const params = new URLSearchParams({ access_token: token, ...query });
  const response = await fetch(`${wechat.url}/wxa/business/getuserphonenumber?${params.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function decrypt(keyB64: string, dataB64: string, ivB64: string): string {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(keyB64, 'base64'), Buffer.from(ivB64, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(dataB64, 'base64')), decipher.final()]).toString('utf8');
}

describe('getuserphonenumber', () => {
  it('answers phone_info in the documented shape, countryCode as a number, once per code', async () => {
    const code = wechat.issuePhoneCode('oPhoneUser', '13912345678');
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    expect(await redeem(JSON.stringify({ code }))).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13912345678',
        purePhoneNumber: '13912345678',
        countryCode: 86,
        watermark: { timestamp: START / 1000, appid: wechat.appId },
      },
    });
    expect((await redeem(JSON.stringify({ code }))).errcode).toBe(40029);
  });

  it('answers 40029 for a code only in the query string, unknown, expired, or bound to another openid', async () => {
    const inQuery = wechat.issuePhoneCode('oPhoneUser');
    expect((await redeem('', { code: inQuery })).errcode).toBe(40029);
    expect((await redeem(JSON.stringify({ code: inQuery }))).errcode).toBe(0);
    expect((await redeem(JSON.stringify({ code: 'f'.repeat(64) }))).errcode).toBe(40029);
    expect((await redeem(JSON.stringify({}))).errcode).toBe(40029);
    const late = wechat.issuePhoneCode('oPhoneUser');
    nowMs += 300_000;
    expect((await redeem(JSON.stringify({ code: late }))).errcode).toBe(40029);
    const bound = wechat.issuePhoneCode('oPhoneUser');
    expect((await redeem(JSON.stringify({ code: bound, openid: 'oSomeoneElse' }))).errcode).toBe(40029);
  });

  it('answers 40013 for a code of another app and 47001 for a body that is not JSON', async () => {
    const other = wechat.issuePhoneCode('oPhoneUser', undefined, { appId: 'wx_other_app' });
    expect((await redeem(JSON.stringify({ code: other }))).errcode).toBe(40013);
    expect((await redeem('code=abc')).errcode).toBe(47001);
  });

  it('checks the access token first', async () => {
    const code = wechat.issuePhoneCode('oPhoneUser');
    expect((await redeem(JSON.stringify({ code }), { access_token: 'bogus' })).errcode).toBe(40014);
    expect((await redeem(JSON.stringify({ code }))).errcode).toBe(0);
  });

  it('omitPhoneInfo makes the next successes answer without phone_info', async () => {
    wechat.omitPhoneInfo();
    expect(await redeem(JSON.stringify({ code: wechat.issuePhoneCode('oPhoneUser') }))).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect(await redeem(JSON.stringify({ code: wechat.issuePhoneCode('oPhoneUser') }))).toHaveProperty('phone_info');
  });
});

describe('legacy encrypted payloads', () => {
  it('encryptPhone seals the phone JSON with the current session_key', () => {
    wechat.issueLoginCode({ openid: 'oLegacy' });
    const key = wechat.sessionKeyOf('oLegacy') as string;
    const sealed = wechat.encryptPhone('oLegacy', '18048574657');
    expect(sealed.iv).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(JSON.parse(decrypt(key, sealed.encryptedData, sealed.iv))).toEqual({
      phoneNumber: '18048574657',
      purePhoneNumber: '18048574657',
      countryCode: '86',
      watermark: { timestamp: START / 1000, appid: wechat.appId },
    });
    const foreign = wechat.encryptPhone('oLegacy', undefined, { watermarkAppId: 'wx_other_app' });
    expect(JSON.parse(decrypt(key, foreign.encryptedData, foreign.iv)).watermark.appid).toBe('wx_other_app');
    expect(() => wechat.encryptPhone('oNeverLoggedIn')).toThrow();
  });

  it('encryptUserInfo signs rawData with sha1(rawData + session_key) and seals the full info', () => {
    wechat.issueLoginCode({ openid: 'oProfile', unionid: 'oUnionProfile' });
    const key = wechat.sessionKeyOf('oProfile') as string;
    const payload = wechat.encryptUserInfo('oProfile', { nickName: 'Band', gender: 1 });
    expect(JSON.parse(payload.rawData)).toMatchObject({ nickName: 'Band', gender: 1 });
    expect(payload.signature).toBe(
      createHash('sha1')
        .update(payload.rawData + key)
        .digest('hex'),
    );
    expect(JSON.parse(decrypt(key, payload.encryptedData, payload.iv))).toMatchObject({
      openId: 'oProfile',
      unionId: 'oUnionProfile',
      nickName: 'Band',
      watermark: { appid: wechat.appId, timestamp: START / 1000 },
    });
  });

  it('encryptWechatData round-trips with a given IV and rejects keys that are not 16 bytes', () => {
    const key = 'HyVFkGl5F5OQWJZZaNzBBg==';
    const iv = 'r7BXXKkLb8qrSNn05n0qiA==';
    const sealed = encryptWechatData(key, '{"a":1}', iv);
    expect(sealed.iv).toBe(iv);
    expect(encryptWechatData(key, '{"a":1}', iv).encryptedData).toBe(sealed.encryptedData);
    expect(decrypt(key, sealed.encryptedData, iv)).toBe('{"a":1}');
    expect(() => encryptWechatData('c2hvcnQ=', '{}')).toThrow(TypeError);
    expect(() => encryptWechatData(key, '{}', 'bad')).toThrow(TypeError);
  });
});
