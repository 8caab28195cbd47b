import { createHmac } from 'node:crypto';
import { loginStateSignature } from '../../src/testing/crypto-helpers.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

let wechat: WechatStandIn;
let token: string;

beforeAll(async () => {
  wechat = await startWechatStandIn();
  const response = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
    method: 'POST',
    body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(() => wechat.close());

function sign(sessionKey: string): string {
  return createHmac('sha256', sessionKey).update('').digest('hex');
}

async function call(
  api: 'checksession' | 'resetusersessionkey',
  openid: string,
  signature: string,
  sigMethod = 'hmac_sha256',
): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({ access_token: token, openid, signature, sig_method: sigMethod });
  const response = await fetch(`${wechat.url}/wxa/${api}?${query.toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

it('signs with the session_key base64 text as the HMAC key (official vector)', () => {
  expect(loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==', '{"foo":"bar"}')).toBe('654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b');
  expect(loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==')).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128');
});

describe('checksession', () => {
  it('answers 0 for the current key and 87009 for a wrong or rotated one', async () => {
    const openid = 'oCheckUser';
    wechat.issueLoginCode({ openid });
    const key = wechat.sessionKeyOf(openid) as string;
    expect(await call('checksession', openid, sign(key))).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call('checksession', openid, sign('AAAAAAAAAAAAAAAAAAAAAA=='))).errcode).toBe(87009);
    const keyedByBytes = createHmac('sha256', Buffer.from(key, 'base64')).update('').digest('hex');
    expect((await call('checksession', openid, keyedByBytes)).errcode).toBe(87009);
    expect((await call('checksession', 'oUnknownUser', sign(key))).errcode).toBe(87009);
    wechat.issueLoginCode({ openid });
    expect((await call('checksession', openid, sign(key))).errcode).toBe(87009);
  });

  it('answers 87008 for another sig_method', async () => {
    wechat.issueLoginCode({ openid: 'oSigMethod' });
    const key = wechat.sessionKeyOf('oSigMethod') as string;
    expect((await call('checksession', 'oSigMethod', sign(key), 'md5')).errcode).toBe(87008);
  });
});

describe('resetusersessionkey', () => {
  it('returns a new session_key for a valid signature and retires the old one', async () => {
    const openid = 'oResetUser';
    wechat.issueLoginCode({ openid });
    const oldKey = wechat.sessionKeyOf(openid) as string;
    const body = await call('resetusersessionkey', openid, sign(oldKey));
    expect(Object.keys(body).sort()).toEqual(['errcode', 'errmsg', 'openid', 'session_key']);
    expect(body).toMatchObject({ errcode: 0, errmsg: 'ok', openid });
    expect(body.session_key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(body.session_key).not.toBe(oldKey);
    expect(wechat.sessionKeyOf(openid)).toBe(body.session_key);
    expect((await call('checksession', openid, sign(oldKey))).errcode).toBe(87009);
    expect((await call('checksession', openid, sign(body.session_key as string))).errcode).toBe(0);
    expect((await call('resetusersessionkey', openid, sign(oldKey))).errcode).toBe(87009);
  });
});
