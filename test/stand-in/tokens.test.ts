import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const START = Date.UTC(2025, 0, 1);
let nowMs = START;
let wechat: WechatStandIn;

beforeEach(async () => {
  nowMs = START;
  wechat = await startWechatStandIn({ now: () => nowMs });
});
afterEach(() => wechat.close());

async function stable(body: unknown, raw?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function stableBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret, ...extra };
}

async function classic(extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({
    grant_type: 'client_credential',
    appid: wechat.appId,
    secret: wechat.appSecret,
    ...extra,
  });
  const response = await fetch(`${wechat.url}/cgi-bin/token?${query.toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** The errcode checksession gives for this token (0 would mean a valid token and signature). */
async function tokenErrcode(token: string): Promise<number> {
  const query = new URLSearchParams({ access_token: token, openid: 'oNobody', signature: 'x', sig_method: 'hmac_sha256' });
  const body = (await (await fetch(`${wechat.url}/wxa/checksession?${query.toString()}`)).json()) as { errcode: number };
  return body.errcode;
}

describe('stable_token', () => {
  it('returns the same token while valid, with the remaining seconds, and a new one after expiry', async () => {
    const first = await stable(stableBody());
    expect(Object.keys(first).sort()).toEqual(['access_token', 'expires_in']);
    expect(first.expires_in).toBe(7200);
    nowMs += 100_000;
    const again = await stable(stableBody({ force_refresh: false }));
    expect(again).toEqual({ access_token: first.access_token, expires_in: 7100 });
    nowMs += 7100_000;
    expect(await tokenErrcode(first.access_token as string)).toBe(42001);
    const renewed = await stable(stableBody());
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBe(7200);
    expect(await tokenErrcode(renewed.access_token as string)).toBe(87009);
  });

  it('force_refresh gives a new token and retires the old one', async () => {
    const first = await stable(stableBody());
    const forced = await stable(stableBody({ force_refresh: true }));
    expect(forced.access_token).not.toBe(first.access_token);
    expect(await tokenErrcode(first.access_token as string)).toBe(40001);
    expect(await tokenErrcode(forced.access_token as string)).toBe(87009);
  });

  it.each([
    ['a form body', 'grant_type=client_credential', 40002],
    ['no grant_type', JSON.stringify({ appid: 'x', secret: 'y' }), 40002],
    ['a JSON array', '[]', 40002],
  ])('rejects %s with %i', async (_name, raw, errcode) => {
    expect((await stable(undefined, raw)).errcode).toBe(errcode);
  });

  it('checks appid and secret', async () => {
    expect((await stable(stableBody({ appid: 'wx_other' }))).errcode).toBe(40013);
    expect((await stable(stableBody({ secret: 'f'.repeat(32) }))).errcode).toBe(40125);
    expect((await stable(stableBody({ appid: undefined }))).errcode).toBe(41002);
  });
});

describe('cgi-bin/token', () => {
  it('issues a new token on every call and retires only the previous classic one', async () => {
    const stableToken = (await stable(stableBody())).access_token as string;
    const first = await classic();
    expect(first.expires_in).toBe(7200);
    const second = await classic();
    expect(second.access_token).not.toBe(first.access_token);
    expect(await tokenErrcode(first.access_token as string)).toBe(40001);
    expect(await tokenErrcode(second.access_token as string)).toBe(87009);
    expect(await tokenErrcode(stableToken)).toBe(87009);
    expect((await stable(stableBody())).access_token).toBe(stableToken);
  });

  it('answers 40002, 40013, 40125 and 41004 for bad parameters', async () => {
    expect((await classic({ grant_type: 'authorization_code' })).errcode).toBe(40002);
    expect((await classic({ appid: 'wx_other' })).errcode).toBe(40013);
    expect((await classic({ secret: 'f'.repeat(32) })).errcode).toBe(40125);
    expect((await classic({ secret: '' })).errcode).toBe(41004);
  });
});

describe('token checks on APIs that need one', () => {
  it('unknown 40014, missing 41001, expired 42001', async () => {
    expect(await tokenErrcode('not-a-token')).toBe(40014);
    const query = new URLSearchParams({ openid: 'o', signature: 'x', sig_method: 'hmac_sha256' });
    const missing = (await (await fetch(`${wechat.url}/wxa/checksession?${query.toString()}`)).json()) as {
      errcode: number;
    };
    expect(missing.errcode).toBe(41001);
    const token = (await classic()).access_token as string;
    nowMs += 7_200_000;
    expect(await tokenErrcode(token)).toBe(42001);
  });

  it('invalidateAccessTokens makes every token answer 40001 and stable_token hands out a new one', async () => {
    const stableToken = (await stable(stableBody())).access_token as string;
    const classicToken = (await classic()).access_token as string;
    wechat.invalidateAccessTokens();
    expect(await tokenErrcode(stableToken)).toBe(40001);
    expect(await tokenErrcode(classicToken)).toBe(40001);
    const fresh = (await stable(stableBody())).access_token as string;
    expect(fresh).not.toBe(stableToken);
    expect(await tokenErrcode(fresh)).toBe(87009);
  });

  it('the 40001 message says the token is invalid or not latest', async () => {
    const token = (await classic()).access_token as string;
    await classic();
    const query = new URLSearchParams({ access_token: token, openid: 'o', signature: 'x', sig_method: 'hmac_sha256' });
    const body = (await (await fetch(`${wechat.url}/wxa/checksession?${query.toString()}`)).json()) as {
      errmsg: string;
    };
    expect(body.errmsg).toMatch(/^invalid credential, access_token is invalid or not latest, rid: /);
  });
});
