import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { getJson as getJsonAt } from './get-json.js';

const START = Date.UTC(2025, 0, 1);
const CORP = { corpId: 'ww0000000000000000', corpSecret: 'corp-secret-of-the-linked-wecom-app' };
let nowMs = START;
let wechat: WechatStandIn;

beforeEach(async () => {
  nowMs = START;
  wechat = await startWechatStandIn({ now: () => nowMs, wecom: CORP });
});
afterEach(() => wechat.close());

type Json = Record<string, unknown>;

const getJson = (path: string, params: Record<string, string | undefined>): Promise<Json> => getJsonAt(wechat.url, path, params);

const getToken = (params: Record<string, string | undefined> = {}): Promise<Json> =>
  getJson('/cgi-bin/gettoken', { corpid: CORP.corpId, corpsecret: CORP.corpSecret, ...params });

async function corpToken(): Promise<string> {
  return (await getToken()).access_token as string;
}

async function exchange(token: string, code: string | undefined, grantType = 'authorization_code'): Promise<Json> {
  return getJson('/cgi-bin/miniprogram/jscode2session', { access_token: token, js_code: code, grant_type: grantType });
}

describe('cgi-bin/gettoken', () => {
  it("answers the corp token in WeCom's shape, the same one while it is valid", async () => {
    const first = await getToken();
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 });
    nowMs += 1000_000;
    expect(await getToken()).toMatchObject({ access_token: first.access_token, expires_in: 6200 });
    nowMs += 6200_000;
    const renewed = await getToken();
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBe(7200);
  });

  it.each([
    ['corpid missing', { corpid: undefined }, 41002],
    ['corpid wrong', { corpid: 'ww9999999999999999' }, 40013],
    ['corpsecret missing', { corpsecret: undefined }, 41004],
    ['corpsecret wrong', { corpsecret: 'wrong' }, 40001],
    ['the app secret instead', { corpid: 'wx0000000000standin' }, 40013],
  ] as const)('%s -> %i', async (_name, params, errcode) => {
    const body = await getToken(params);
    expect(body.errcode).toBe(errcode);
    expect(body).not.toHaveProperty('access_token');
  });
});

describe('cgi-bin/miniprogram/jscode2session', () => {
  it('answers corpid, userid and session_key for a wx.qy.login code, once', async () => {
    const token = await corpToken();
    const code = wechat.issueWecomCode({ userId: 'zhangsan' });
    const body = await exchange(token, code);
    expect(body).toEqual({ corpid: CORP.corpId, userid: 'zhangsan', session_key: wechat.wecomSessionKeyOf('zhangsan'), errcode: 0, errmsg: 'ok' });
    expect(body.session_key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect((await exchange(token, code)).errcode).toBe(40163);
  });

  it('gives a generated userid of WeCom shape and rotates the session_key per code', async () => {
    const token = await corpToken();
    const first = await exchange(token, wechat.issueWecomCode());
    expect(first.userid).toMatch(/^[A-Za-z0-9_.@-]{1,64}$/);
    const second = await exchange(token, wechat.issueWecomCode({ userId: first.userid as string }));
    expect(second.userid).toBe(first.userid);
    expect(second.session_key).not.toBe(first.session_key);
  });

  it('answers 40029 for a wx.login code, a code of another corp, an unknown or expired code', async () => {
    const token = await corpToken();
    expect((await exchange(token, wechat.issueLoginCode())).errcode).toBe(40029);
    expect((await exchange(token, wechat.issueWecomCode({ corpId: 'ww1111111111111111' }))).errcode).toBe(40029);
    expect((await exchange(token, 'unknown')).errcode).toBe(40029);
    const late = wechat.issueWecomCode();
    nowMs += 300_000;
    expect((await exchange(await corpToken(), late)).errcode).toBe(40029);
  });

  it('a wx.qy.login code is not a wx.login code: jscode2session answers 40029', async () => {
    const code = wechat.issueWecomCode();
    const query = { appid: wechat.appId, secret: wechat.appSecret, js_code: code, grant_type: 'authorization_code' };
    expect((await getJson('/sns/jscode2session', query)).errcode).toBe(40029);
  });

  it('checks the token: missing 41001, unknown 40014, expired 42001, invalidated 40014', async () => {
    const code = wechat.issueWecomCode();
    expect((await exchange('', code)).errcode).toBe(41001);
    expect((await exchange('not-a-token', code)).errcode).toBe(40014);
    const appToken = (await getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }))
      .access_token as string;
    expect((await exchange(appToken, code)).errcode).toBe(40014);
    const token = await corpToken();
    wechat.invalidateAccessTokens();
    expect((await exchange(token, code)).errcode).toBe(40014);
    const fresh = await corpToken();
    nowMs += 7_200_000;
    expect((await exchange(fresh, code)).errcode).toBe(42001);
  });

  it('answers 40002 for a wrong grant_type and 41008 without a code', async () => {
    const token = await corpToken();
    expect((await exchange(token, wechat.issueWecomCode(), 'client_credential')).errcode).toBe(40002);
    expect((await exchange(token, undefined)).errcode).toBe(41008);
  });

  it('a corp token is not an app token: getuserphonenumber answers 40014', async () => {
    const token = await corpToken();
    const response = await fetch(`${wechat.url}/wxa/business/getuserphonenumber?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ code: wechat.issuePhoneCode('oSomeone') }),
    });
    expect(((await response.json()) as Json).errcode).toBe(40014);
  });
});

it('counts gettoken and WeCom logins under the corpid', async () => {
  const token = await corpToken();
  await getToken({ corpsecret: 'wrong' });
  await exchange(token, 'nope');
  await exchange('unknown-token', 'nope');
  expect(wechat.calls).toMatchObject({ gettoken: 2, 'wecom/jscode2session': 2 });
  expect(wechat.callsByApp[CORP.corpId]).toMatchObject({ gettoken: 2, 'wecom/jscode2session': 1 });
});

it('without a corp: issueWecomCode needs a corpId and gettoken answers 40013', async () => {
  const plain = await startWechatStandIn();
  try {
    expect(plain.corpId).toBeUndefined();
    expect(() => plain.issueWecomCode()).toThrow(TypeError);
    expect(plain.issueWecomCode({ corpId: CORP.corpId })).toMatch(/^[A-Za-z0-9]{32}$/);
    const body = (await (await fetch(`${plain.url}/cgi-bin/gettoken?corpid=${CORP.corpId}&corpsecret=x`)).json()) as Json;
    expect(body.errcode).toBe(40013);
  } finally {
    await plain.close();
  }
});

it('faults apply to the WeCom routes by name', async () => {
  wechat.fail({ errcode: 45009 }, { api: 'gettoken', times: 1 });
  expect((await getToken()).errcode).toBe(45009);
  const token = await corpToken();
  wechat.fail('busy', { api: 'wecom/jscode2session', times: 1 });
  expect(await exchange(token, wechat.issueWecomCode())).toEqual({ errcode: -1, errmsg: 'system error' });
});
