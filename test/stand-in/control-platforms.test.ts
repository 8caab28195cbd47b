import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { getJson as getJsonAt } from './get-json.js';

const APP_B = { appId: 'wx1111111111111111', appSecret: 'b'.repeat(32) };
const COMPONENT = 'wxc0000000000000cp';
const AUTHORIZED = 'wx2222222222222222';
const CORP = { corpId: 'ww0000000000000000', corpSecret: 'corp-secret' };
let wechat: WechatStandIn;

beforeAll(async () => {
  wechat = await startWechatStandIn({ apps: [APP_B], component: { appId: COMPONENT, authorized: [AUTHORIZED] }, wecom: CORP });
});
afterAll(() => wechat.close());

type Json = Record<string, unknown>;

function control(path: string, body?: unknown, method = 'POST', origin?: string): Promise<Response> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...(origin && { origin }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return fetch(`${wechat.url}/__standin/${path}`, init);
}

async function controlJson(path: string, body?: unknown, method = 'POST'): Promise<Json> {
  const response = await control(path, body, method);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

const getJson = (path: string, params: Record<string, string | undefined>): Promise<Json> => getJsonAt(wechat.url, path, params);

describe('control endpoints for several apps, the platform and WeCom', () => {
  it('login takes an appId: the code is that app', async () => {
    const login = await controlJson('login', { openid: 'oControlB', appId: APP_B.appId });
    expect(login).toEqual({ code: expect.any(String), openid: 'oControlB', appId: APP_B.appId });
    const query = { appid: APP_B.appId, secret: APP_B.appSecret, js_code: login.code as string, grant_type: 'authorization_code' };
    expect(await getJson('/sns/jscode2session', query)).toMatchObject({ openid: 'oControlB' });
    expect((await controlJson('login', {})).appId).toBe(wechat.appId);
  });

  it('component-token and authorizer-token give the tokens of the platform and its app', async () => {
    const { accessToken } = await controlJson('component-token', undefined, 'GET');
    expect(accessToken).toBe(wechat.componentAccessToken);
    const { code } = await controlJson('login', { openid: 'oControlPlatform', appId: AUTHORIZED });
    const login = await getJson('/sns/component/jscode2session', {
      appid: AUTHORIZED,
      js_code: code as string,
      grant_type: 'authorization_code',
      component_appid: COMPONENT,
      component_access_token: accessToken as string,
    });
    expect(login.openid).toBe('oControlPlatform');
    const authorizer = await controlJson('authorizer-token', { appId: AUTHORIZED });
    expect(authorizer.accessToken).toBe(wechat.authorizerAccessToken(AUTHORIZED));
    const phone = await controlJson('phone-code', { openid: 'oControlPlatform', phoneNumber: '13300000000', appId: AUTHORIZED });
    const response = await fetch(`${wechat.url}/wxa/business/getuserphonenumber?access_token=${authorizer.accessToken as string}`, {
      method: 'POST',
      body: JSON.stringify({ code: phone.code }),
    });
    expect(((await response.json()) as Json).errcode).toBe(0);
  });

  it('wecom-login issues a wx.qy.login code for a new or given member', async () => {
    const given = await controlJson('wecom-login', { userId: 'lisi' });
    expect(given).toEqual({ code: expect.any(String), userId: 'lisi', corpId: CORP.corpId });
    const fresh = await controlJson('wecom-login', {});
    expect(fresh.userId).toMatch(/^[A-Za-z0-9_.@-]{1,64}$/);
    const { access_token: token } = await getJson('/cgi-bin/gettoken', { corpid: CORP.corpId, corpsecret: CORP.corpSecret });
    const body = await getJson('/cgi-bin/miniprogram/jscode2session', {
      access_token: token as string,
      js_code: given.code as string,
      grant_type: 'authorization_code',
    });
    expect(body).toMatchObject({ errcode: 0, corpid: CORP.corpId, userid: 'lisi' });
  });

  it('info names the platform and the corp; calls-by-app counts per app', async () => {
    expect(await controlJson('info', undefined, 'GET')).toEqual({ appId: wechat.appId, url: wechat.url, componentAppId: COMPONENT, corpId: CORP.corpId });
    await controlJson('reset-calls');
    await getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: APP_B.appId, secret: APP_B.appSecret });
    const byApp = await controlJson('calls-by-app', undefined, 'GET');
    expect(Object.keys(byApp).sort()).toEqual([APP_B.appId, AUTHORIZED, CORP.corpId, wechat.appId].sort());
    expect(byApp[APP_B.appId]).toMatchObject({ token: 1 });
  });

  it.each([
    ['login', { appId: 42 }],
    ['authorizer-token', {}],
    ['authorizer-token', { appId: APP_B.appId }],
    ['phone-code', { openid: 'o', appId: '' }],
  ])('answers %s %j with 400', async (path, body) => {
    expect((await control(path, body)).status).toBe(400);
  });

  it('keeps the loopback-only rule for the new endpoints', async () => {
    for (const [path, method] of [
      ['wecom-login', 'POST'],
      ['authorizer-token', 'POST'],
      ['component-token', 'GET'],
      ['calls-by-app', 'GET'],
    ] as const) {
      const response = await control(path, method === 'POST' ? { userId: 'oForeign', appId: AUTHORIZED } : undefined, method, 'https://evil.example');
      expect([path, response.status]).toEqual([path, 403]);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(wechat.wecomSessionKeyOf('oForeign')).toBeUndefined();
    const local = await control('wecom-login', {}, 'POST', 'http://localhost:5173');
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

it('wecom-login without a corp answers 400', async () => {
  const plain = await startWechatStandIn();
  try {
    const response = await fetch(`${plain.url}/__standin/wecom-login`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(((await (await fetch(`${plain.url}/__standin/info`)).json()) as Json).corpId).toBeNull();
  } finally {
    await plain.close();
  }
});
