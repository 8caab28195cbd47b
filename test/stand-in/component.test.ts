import { loginStateSignature } from '../../src/testing/crypto-helpers.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { getJson as getJsonAt } from './get-json.js';

const START = Date.UTC(2025, 0, 1);
const COMPONENT = 'wxc0000000000000cp';
const AUTHORIZED = 'wx2222222222222222';
const OTHER_AUTHORIZED = 'wx4444444444444444';
const UNAUTHORIZED = 'wx3333333333333333';
const FIXED_TOKEN = 'component-token-standin-0001';
let nowMs = START;
let wechat: WechatStandIn;

beforeEach(async () => {
  nowMs = START;
  wechat = await startWechatStandIn({
    now: () => nowMs,
    component: { appId: COMPONENT, accessToken: FIXED_TOKEN, authorized: [AUTHORIZED, OTHER_AUTHORIZED], unauthorized: [UNAUTHORIZED] },
  });
});
afterEach(() => wechat.close());

type Json = Record<string, unknown>;

const getJson = (path: string, params: Record<string, string | undefined>): Promise<Json> => getJsonAt(wechat.url, path, params);

/** The component login call; the valid component token unless `params` gives one (reading it renews an expired one). */
function componentLogin(params: Record<string, string | undefined>): Promise<Json> {
  const token = 'component_access_token' in params ? {} : { component_access_token: wechat.componentAccessToken };
  return getJson('/sns/component/jscode2session', {
    appid: AUTHORIZED,
    grant_type: 'authorization_code',
    component_appid: COMPONENT,
    ...token,
    ...params,
  });
}

describe('component jscode2session', () => {
  it('logs a user of an authorized app in with the component token', async () => {
    expect(wechat.componentAccessToken).toBe(FIXED_TOKEN);
    const code = wechat.issueLoginCode({ openid: 'oAuthorizedUser', unionid: 'oUnionPlatform', appId: AUTHORIZED });
    expect(await componentLogin({ js_code: code })).toEqual({
      openid: 'oAuthorizedUser',
      unionid: 'oUnionPlatform',
      session_key: wechat.sessionKeyOf('oAuthorizedUser', AUTHORIZED),
    });
    const again = await componentLogin({ js_code: code });
    expect(again.errcode).toBe('40163');
  });

  it.each([
    ['component_appid missing', { component_appid: undefined }, '41002'],
    ['component_appid of another platform', { component_appid: 'wxc_other_platform' }, '40013'],
    ['component_access_token missing', { component_access_token: undefined }, '41001'],
    ['component_access_token wrong', { component_access_token: 'not-the-token' }, '40001'],
    ['grant_type wrong', { grant_type: 'client_credential' }, '40002'],
    ['appid missing', { appid: undefined }, '41002'],
    ['appid unknown', { appid: 'wx9999999999999999' }, '40013'],
    ['appid not authorized', { appid: UNAUTHORIZED }, '61003'],
    ['js_code missing', { js_code: undefined }, '41008'],
    ['js_code unknown', { js_code: 'unknown-code' }, '40029'],
  ] as const)('%s -> errcode %s as a string', async (_name, params, errcode) => {
    const body = await componentLogin({ js_code: wechat.issueLoginCode({ appId: AUTHORIZED }), ...params });
    expect(body.errcode).toBe(errcode);
    expect(body.errmsg).toMatch(/rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(body).not.toHaveProperty('session_key');
  });

  it('a code is bound to its app: another authorized app, the main app or an unauthorized one answers 40029 or 61003', async () => {
    const other = wechat.issueLoginCode({ appId: OTHER_AUTHORIZED });
    expect((await componentLogin({ js_code: other })).errcode).toBe('40029');
    const mainCode = wechat.issueLoginCode();
    expect((await componentLogin({ js_code: mainCode })).errcode).toBe('40029');
    expect((await componentLogin({ appid: wechat.appId, js_code: mainCode })).errcode).toBe('61003');
    const unauthorized = wechat.issueLoginCode({ appId: UNAUTHORIZED });
    expect((await componentLogin({ appid: UNAUTHORIZED, js_code: unauthorized })).errcode).toBe('61003');
  });

  it('an expired code is 40029; an expired component token 42001, then a new token works', async () => {
    const code = wechat.issueLoginCode({ appId: AUTHORIZED });
    nowMs += 300_000;
    expect((await componentLogin({ js_code: code })).errcode).toBe('40029');
    nowMs += 7_200_000;
    const fresh = wechat.issueLoginCode({ appId: AUTHORIZED });
    expect((await componentLogin({ js_code: fresh, component_access_token: FIXED_TOKEN })).errcode).toBe('42001');
    expect(wechat.componentAccessToken).not.toBe(FIXED_TOKEN);
    expect(await componentLogin({ js_code: fresh })).toHaveProperty('session_key');
  });

  it('invalidateAccessTokens retires the component token (40001)', async () => {
    wechat.invalidateAccessTokens();
    const code = wechat.issueLoginCode({ appId: AUTHORIZED });
    expect((await componentLogin({ js_code: code, component_access_token: FIXED_TOKEN })).errcode).toBe('40001');
    expect(await componentLogin({ js_code: code })).toHaveProperty('openid');
  });
});

describe('authorized apps have no AppSecret route', () => {
  it.each([undefined, '', 'a'.repeat(32)])('jscode2session, token and stable_token answer 40125 with secret %p', async (secret) => {
    const code = wechat.issueLoginCode({ appId: AUTHORIZED });
    const query = { appid: AUTHORIZED, secret, js_code: code, grant_type: 'authorization_code' };
    expect((await getJson('/sns/jscode2session', query)).errcode).toBe(40125);
    expect((await getJson('/cgi-bin/token', { ...query, grant_type: 'client_credential' })).errcode).toBe(40125);
    const response = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: UNAUTHORIZED, ...(secret !== undefined && { secret }) }),
    });
    expect(((await response.json()) as Json).errcode).toBe(40125);
  });
});

describe('authorizer_access_token', () => {
  async function phone(token: string, code: string): Promise<Json> {
    const response = await fetch(`${wechat.url}/wxa/business/getuserphonenumber?access_token=${token}`, { method: 'POST', body: JSON.stringify({ code }) });
    return (await response.json()) as Json;
  }

  it('redeems that app phone codes and answers 40013 for another app code', async () => {
    const token = wechat.authorizerAccessToken(AUTHORIZED);
    expect(wechat.authorizerAccessToken(AUTHORIZED)).toBe(token);
    const own = wechat.issuePhoneCode('oPlatformUser', '13400000000', { appId: AUTHORIZED });
    expect(await phone(token, own)).toMatchObject({ errcode: 0, phone_info: { purePhoneNumber: '13400000000', watermark: { appid: AUTHORIZED } } });
    const other = wechat.issuePhoneCode('oPlatformUser', '13400000000', { appId: OTHER_AUTHORIZED });
    expect((await phone(token, other)).errcode).toBe(40013);
    expect((await phone(wechat.authorizerAccessToken(OTHER_AUTHORIZED), other)).errcode).toBe(0);
  });

  it('checks the login state of that app users', async () => {
    const openid = 'oPlatformCheck';
    wechat.issueLoginCode({ openid, appId: AUTHORIZED });
    const signature = loginStateSignature(wechat.sessionKeyOf(openid, AUTHORIZED) as string);
    const query = (token: string) => ({ access_token: token, openid, signature, sig_method: 'hmac_sha256' });
    expect((await getJson('/wxa/checksession', query(wechat.authorizerAccessToken(AUTHORIZED)))).errcode).toBe(0);
    expect((await getJson('/wxa/checksession', query(wechat.authorizerAccessToken(OTHER_AUTHORIZED)))).errcode).toBe(87009);
  });

  it('expires and is invalidated like the other tokens, then a new one is handed out', async () => {
    const token = wechat.authorizerAccessToken(AUTHORIZED);
    nowMs += 7_200_000;
    expect((await phone(token, 'x')).errcode).toBe(42001);
    const renewed = wechat.authorizerAccessToken(AUTHORIZED);
    expect(renewed).not.toBe(token);
    wechat.invalidateAccessTokens();
    expect((await phone(renewed, 'x')).errcode).toBe(40001);
    expect((await phone(wechat.authorizerAccessToken(AUTHORIZED), 'x')).errcode).toBe(40029);
  });

  it('exists only for authorized apps', () => {
    expect(() => wechat.authorizerAccessToken(UNAUTHORIZED)).toThrow(TypeError);
    expect(() => wechat.authorizerAccessToken(wechat.appId)).toThrow(TypeError);
  });
});

it('counts component logins per authorizer app', async () => {
  await componentLogin({ js_code: 'nope' });
  await componentLogin({ appid: UNAUTHORIZED, js_code: 'nope' });
  expect(wechat.calls['component/jscode2session']).toBe(2);
  expect(wechat.callsByApp[AUTHORIZED]?.['component/jscode2session']).toBe(1);
  expect(wechat.callsByApp[UNAUTHORIZED]?.['component/jscode2session']).toBe(1);
});

it('without a platform: the route answers 40013 and componentAccessToken throws', async () => {
  const plain = await startWechatStandIn();
  try {
    const query = new URLSearchParams({
      appid: AUTHORIZED,
      js_code: 'x',
      grant_type: 'authorization_code',
      component_appid: COMPONENT,
      component_access_token: 'x',
    });
    const body = (await (await fetch(`${plain.url}/sns/component/jscode2session?${query.toString()}`)).json()) as Json;
    expect(body.errcode).toBe('40013');
    expect(() => plain.componentAccessToken).toThrow(TypeError);
  } finally {
    await plain.close();
  }
});
