import { createDecipheriv } from 'node:crypto';
import { loginStateSignature } from '../../src/testing/crypto-helpers.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { getJson as getJsonAt } from './get-json.js';

const START = Date.UTC(2025, 0, 1);
const APP_B = { appId: 'wx1111111111111111', appSecret: 'b'.repeat(32) };
let nowMs = START;
let wechat: WechatStandIn;

beforeEach(async () => {
  nowMs = START;
  wechat = await startWechatStandIn({ now: () => nowMs, apps: [APP_B] });
});
afterEach(() => wechat.close());

type Json = Record<string, unknown>;

const getJson = (path: string, params: Record<string, string | undefined>): Promise<Json> => getJsonAt(wechat.url, path, params);

function exchange(app: { appId: string; appSecret: string }, code: string): Promise<Json> {
  return getJson('/sns/jscode2session', { appid: app.appId, secret: app.appSecret, js_code: code, grant_type: 'authorization_code' });
}

async function tokenOf(app: { appId: string; appSecret: string }): Promise<string> {
  const body = await getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: app.appId, secret: app.appSecret });
  return body.access_token as string;
}

async function phone(token: string, code: string): Promise<Json> {
  const response = await fetch(`${wechat.url}/wxa/business/getuserphonenumber?access_token=${token}`, {
    method: 'POST',
    body: JSON.stringify({ code }),
  });
  return (await response.json()) as Json;
}

const main = (): { appId: string; appSecret: string } => ({ appId: wechat.appId, appSecret: wechat.appSecret });

describe('jscode2session for several apps', () => {
  it('exchanges each app code with that app credentials only; openid and session_key are per app', async () => {
    const openid = 'oSharedOpenid000000000000000';
    const codeB = wechat.issueLoginCode({ openid, appId: APP_B.appId, unionid: 'oUnionB' });
    const codeMain = wechat.issueLoginCode({ openid });
    expect((await exchange(main(), codeB)).errcode).toBe(40029);
    expect((await exchange(APP_B, codeMain)).errcode).toBe(40029);
    const b = await exchange(APP_B, codeB);
    expect(b).toEqual({ openid, unionid: 'oUnionB', session_key: wechat.sessionKeyOf(openid, APP_B.appId) });
    const m = await exchange(main(), codeMain);
    expect(m).toEqual({ openid, session_key: wechat.sessionKeyOf(openid) });
    expect(m.session_key).not.toBe(b.session_key);
  });

  it('answers 40125 for a wrong secret, 40163 for a used code and 40029 for an expired one', async () => {
    const code = wechat.issueLoginCode({ appId: APP_B.appId });
    expect((await exchange({ ...APP_B, appSecret: wechat.appSecret }, code)).errcode).toBe(40125);
    expect(await exchange(APP_B, code)).toHaveProperty('session_key');
    expect((await exchange(APP_B, code)).errcode).toBe(40163);
    const late = wechat.issueLoginCode({ appId: APP_B.appId });
    nowMs += 300_000;
    expect((await exchange(APP_B, late)).errcode).toBe(40029);
  });

  it('a login in one app leaves the user session_key in another alone', () => {
    const openid = 'oTwoApps';
    wechat.issueLoginCode({ openid });
    const key = wechat.sessionKeyOf(openid);
    wechat.issueLoginCode({ openid, appId: APP_B.appId });
    expect(wechat.sessionKeyOf(openid)).toBe(key);
    expect(wechat.sessionKeyOf(openid, APP_B.appId)).not.toBe(key);
  });
});

describe('tokens and phone codes bound to their app', () => {
  it('a phone code of app B answers 40013 with the main app token and works with B token once', async () => {
    const [tokenMain, tokenB] = [await tokenOf(main()), await tokenOf(APP_B)];
    const code = wechat.issuePhoneCode('oPhoneB', '13600000000', { appId: APP_B.appId });
    expect((await phone(tokenMain, code)).errcode).toBe(40013);
    const ok = await phone(tokenB, code);
    expect(ok.errcode).toBe(0);
    expect(ok.phone_info).toMatchObject({ purePhoneNumber: '13600000000', watermark: { appid: APP_B.appId } });
    expect((await phone(tokenB, code)).errcode).toBe(40029);
  });

  it('checksession acts for the app of the token: B user with the main token is 87009', async () => {
    const openid = 'oCheckB';
    wechat.issueLoginCode({ openid, appId: APP_B.appId });
    const signature = loginStateSignature(wechat.sessionKeyOf(openid, APP_B.appId) as string);
    const query = (token: string) => ({ access_token: token, openid, signature, sig_method: 'hmac_sha256' });
    expect((await getJson('/wxa/checksession', query(await tokenOf(main())))).errcode).toBe(87009);
    expect((await getJson('/wxa/checksession', query(await tokenOf(APP_B)))).errcode).toBe(0);
  });

  it('a new classic token of one app does not retire another app token', async () => {
    const tokenMain = await tokenOf(main());
    await tokenOf(APP_B);
    const code = wechat.issuePhoneCode('oStill', undefined);
    expect((await phone(tokenMain, code)).errcode).toBe(0);
  });

  it('encryptPhone uses the session_key of the app asked for', () => {
    const openid = 'oLegacyB';
    wechat.issueLoginCode({ openid, appId: APP_B.appId });
    const sealed = wechat.encryptPhone(openid, '13511112222', { appId: APP_B.appId });
    const key = Buffer.from(wechat.sessionKeyOf(openid, APP_B.appId) as string, 'base64');
    const decipher = createDecipheriv('aes-128-cbc', key, Buffer.from(sealed.iv, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.encryptedData, 'base64')), decipher.final()]).toString('utf8');
    expect(JSON.parse(plain)).toMatchObject({ phoneNumber: '13511112222', watermark: { appid: APP_B.appId } });
    expect(() => wechat.encryptPhone(openid, '13511112222')).toThrow(Error); // no login of this user in the main app
  });
});

describe('callsByApp', () => {
  it('counts token fetches and logins per app; unknown appids only in the totals', async () => {
    await tokenOf(main());
    await tokenOf(APP_B);
    await tokenOf(APP_B);
    await exchange(APP_B, 'nope');
    await exchange({ appId: 'wx_unknown', appSecret: 'x' }, 'nope');
    const tokenB = await tokenOf(APP_B);
    await phone(tokenB, 'nope');
    const byApp = wechat.callsByApp;
    expect(Object.keys(byApp).sort()).toEqual([APP_B.appId, wechat.appId].sort());
    expect(byApp[wechat.appId]).toMatchObject({ token: 1, jscode2session: 0 });
    expect(byApp[APP_B.appId]).toMatchObject({ token: 3, jscode2session: 1, getuserphonenumber: 1 });
    expect(wechat.calls).toMatchObject({ token: 4, jscode2session: 2, getuserphonenumber: 1 });
    wechat.resetCalls();
    expect(wechat.callsByApp[APP_B.appId]?.token).toBe(0);
  });
});

describe('options', () => {
  it('refuses an appid given twice and malformed apps', async () => {
    await expect(startWechatStandIn({ apps: [{ appId: 'wx0000000000standin', appSecret: 'x' }] })).rejects.toThrow(TypeError);
    await expect(startWechatStandIn({ apps: [{ appId: '', appSecret: 'x' }] })).rejects.toThrow(TypeError);
    await expect(startWechatStandIn({ apps: [{ appId: 'wxa', appSecret: '' }] })).rejects.toThrow(TypeError);
    await expect(startWechatStandIn({ apps: 'wxa' as never })).rejects.toThrow(TypeError);
    await expect(startWechatStandIn({ apps: [APP_B], component: { appId: 'wxc', authorized: [APP_B.appId] } })).rejects.toThrow(TypeError);
  });
});
