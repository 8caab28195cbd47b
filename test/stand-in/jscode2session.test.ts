import { createDecipheriv } from 'node:crypto';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const START = Date.UTC(2025, 0, 1);
let nowMs = START;
let wechat: WechatStandIn;

beforeAll(async () => {
  wechat = await startWechatStandIn({ now: () => nowMs });
});
afterAll(() => wechat.close());
beforeEach(() => {
  nowMs = START;
});

function exchange(params: Record<string, string | undefined>): Promise<Response> {
  const base: Record<string, string> = {
    appid: wechat.appId,
    secret: wechat.appSecret,
    grant_type: 'authorization_code',
  };
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return fetch(`${wechat.url}/sns/jscode2session?${new URLSearchParams(base).toString()}`);
}

async function exchangeJson(params: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const response = await exchange(params);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function decrypt(keyB64: string, dataB64: string, ivB64: string): string {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(keyB64, 'base64'), Buffer.from(ivB64, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(dataB64, 'base64')), decipher.final()]).toString('utf8');
}

describe('jscode2session success', () => {
  it('answers session_key and openid without errcode, unionid only when the user has one', async () => {
    const code = wechat.issueLoginCode();
    const body = await exchangeJson({ js_code: code });
    expect(Object.keys(body).sort()).toEqual(['openid', 'session_key']);
    expect(body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(body.session_key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(body.session_key).toBe(wechat.sessionKeyOf(body.openid as string));

    const withUnion = wechat.issueLoginCode({ openid: 'oUnionUser', unionid: 'oUnion123' });
    expect(await exchangeJson({ js_code: withUnion })).toEqual({
      session_key: wechat.sessionKeyOf('oUnionUser'),
      openid: 'oUnionUser',
      unionid: 'oUnion123',
    });
    const dropped = wechat.issueLoginCode({ openid: 'oUnionUser', unionid: null });
    expect(await exchangeJson({ js_code: dropped })).not.toHaveProperty('unionid');
  });

  it('keeps a code valid until its lifetime ends', async () => {
    const code = wechat.issueLoginCode();
    nowMs += 299_000;
    expect(await exchangeJson({ js_code: code })).toHaveProperty('openid');
  });
});

describe('jscode2session errcodes (always HTTP 200)', () => {
  it.each([
    ['appid missing', { appid: undefined }, 41002],
    ['appid wrong', { appid: 'wx_other_app' }, 40013],
    ['secret missing', { secret: undefined }, 41004],
    ['secret wrong', { secret: '0'.repeat(32) }, 40125],
    ['grant_type wrong', { grant_type: 'client_credential' }, 40002],
    ['grant_type missing', { grant_type: undefined }, 40002],
    ['js_code missing', { js_code: undefined }, 41008],
    ['js_code unknown', { js_code: 'unknown-code' }, 40029],
  ] as const)('%s %j -> %i', async (_name, params, errcode) => {
    const body = await exchangeJson({ js_code: wechat.issueLoginCode(), ...params });
    expect(body.errcode).toBe(errcode);
    expect(body.errmsg).toMatch(/rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(body).not.toHaveProperty('session_key');
  });

  it('a used code answers 40163, an expired one 40029', async () => {
    const code = wechat.issueLoginCode();
    expect(await exchangeJson({ js_code: code })).toHaveProperty('session_key');
    expect((await exchangeJson({ js_code: code })).errcode).toBe(40163);

    const late = wechat.issueLoginCode();
    nowMs += 300_000;
    expect((await exchangeJson({ js_code: late })).errcode).toBe(40029);
  });

  it('a code of another app answers 40029; a blocked user 40226', async () => {
    const other = wechat.issueLoginCode({ appId: 'wx_other_app' });
    expect((await exchangeJson({ js_code: other })).errcode).toBe(40029);
    const blocked = wechat.issueLoginCode({ openid: 'oBlocked', blocked: true });
    expect((await exchangeJson({ js_code: blocked })).errcode).toBe(40226);
  });
});

describe('session_key rotation', () => {
  it('each issued login code rotates the key; exchanging does not', async () => {
    const openid = 'oRotatingUser000000000000000';
    const first = await exchangeJson({ js_code: wechat.issueLoginCode({ openid }) });
    expect(wechat.sessionKeyOf(openid)).toBe(first.session_key);
    const oldKey = first.session_key as string;
    const sealed = wechat.encryptPhone(openid, '13900001111');
    expect(JSON.parse(decrypt(oldKey, sealed.encryptedData, sealed.iv))).toMatchObject({ phoneNumber: '13900001111' });

    const second = await exchangeJson({ js_code: wechat.issueLoginCode({ openid }) });
    const newKey = second.session_key as string;
    expect(second.openid).toBe(openid);
    expect(newKey).not.toBe(oldKey);
    expect(wechat.sessionKeyOf(openid)).toBe(newKey);
    expect(() => JSON.parse(decrypt(newKey, sealed.encryptedData, sealed.iv))).toThrow();
  });

  it('issuing a code for another app leaves this app key alone', () => {
    const openid = 'oOtherAppUser';
    wechat.issueLoginCode({ openid });
    const key = wechat.sessionKeyOf(openid);
    wechat.issueLoginCode({ openid, appId: 'wx_other_app' });
    expect(wechat.sessionKeyOf(openid)).toBe(key);
  });
});

it('counts every call, failed ones included', async () => {
  wechat.resetCalls();
  await exchange({ js_code: 'nope' });
  await exchange({ js_code: wechat.issueLoginCode() });
  expect(wechat.calls).toEqual({
    jscode2session: 2,
    stable_token: 0,
    token: 0,
    getuserphonenumber: 0,
    checksession: 0,
    resetusersessionkey: 0,
    checkencryptedmsg: 0,
    getuserriskrank: 0,
    getuserencryptkey: 0,
    'component/jscode2session': 0,
    gettoken: 0,
    'wecom/jscode2session': 0,
    'xpay/query_user_balance': 0,
    'xpay/currency_pay': 0,
    'xpay/cancel_currency_pay': 0,
  });
});
