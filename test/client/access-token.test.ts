import { memoryStore } from '../../adapters/memory.js';
import { createWechatClient, WechatApiError, type WechatClient, type WechatClientOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const START = Date.UTC(2025, 0, 1);
let wxNow = START;
let appNow = START;
let wechat: WechatStandIn;

beforeEach(async () => {
  wxNow = START;
  appNow = START;
  wechat = await startWechatStandIn({ now: () => wxNow });
});
afterEach(() => wechat.close());

function client(extra: Partial<WechatClientOptions> = {}): WechatClient {
  return createWechatClient({
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    now: () => appNow,
    retryDelay: 5,
    timeout: 1000,
    logger: false,
    ...extra,
  });
}

const phone = (wx: WechatClient, openid = 'oTokenUser') => wx.getPhoneNumber(wechat.issuePhoneCode(openid));

/** Stand-in calls since `before`, for the APIs the token logic touches. */
function delta(before: Record<string, number>) {
  const now = wechat.calls;
  return {
    stable_token: now.stable_token - before.stable_token!,
    token: now.token - before.token!,
    getuserphonenumber: now.getuserphonenumber - before.getuserphonenumber!,
  };
}

describe('access token: fetch and cache', () => {
  it('uses stable_token with force_refresh false by default and caches the token', async () => {
    const wx = client();
    const first = await wx.getAccessToken();
    expect(await wx.getAccessToken()).toBe(first);
    await phone(wx);
    expect(wechat.calls).toMatchObject({ stable_token: 1, token: 0, getuserphonenumber: 1 });
    expect(wx.accessTokenFetches).toBe(1);
  });

  it("uses cgi-bin/token with accessToken: 'classic'", async () => {
    const wx = client({ accessToken: 'classic' });
    await phone(wx);
    await phone(wx);
    expect(wechat.calls).toMatchObject({ stable_token: 0, token: 1, getuserphonenumber: 2 });
  });

  it('shares one fetch between concurrent needs in one process', async () => {
    const wx = client();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => wx.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    await Promise.all(Array.from({ length: 5 }, (_, i) => phone(wx, `oConcurrent${i}`)));
    expect(wechat.calls.stable_token).toBe(1);
  });

  it('keeps the token in the store under an appId-namespaced key, expiring before expires_in', async () => {
    const store = memoryStore({ now: () => appNow });
    const wx = client({ store });
    const token = await wx.getAccessToken();
    expect(store.keys()).toEqual([`wxs:${wechat.appId}:at:stable`]);
    const cached = JSON.parse((await store.get(`${wechat.appId}:at:stable`))!) as { t: string; e: number };
    expect(cached.t).toBe(token);
    expect(cached.e).toBe(START + (7200 - 300) * 1000);
    // a second process on the same store reads it instead of fetching
    expect(await client({ store }).getAccessToken()).toBe(token);
    expect(wechat.calls.stable_token).toBe(1);
  });

  it('refetches once the margin before expires_in is reached (injected clock, no sleeping)', async () => {
    const wx = client();
    await wx.getAccessToken();
    appNow = wxNow = START + 6899_000;
    await phone(wx);
    expect(wechat.calls.stable_token).toBe(1);
    appNow = wxNow = START + 6901_000;
    const before = wechat.calls;
    await phone(wx);
    expect(delta(before)).toEqual({ stable_token: 1, token: 0, getuserphonenumber: 1 });
  });

  it('after expiry fetches a new token with no wasted call', async () => {
    const wx = client();
    const first = await wx.getAccessToken();
    appNow = wxNow = START + 7201_000;
    const before = wechat.calls;
    await phone(wx);
    expect(delta(before)).toEqual({ stable_token: 1, token: 0, getuserphonenumber: 1 });
    expect(await wx.getAccessToken()).not.toBe(first);
  });
});

describe('access token: refused tokens', () => {
  it('on 42001 (expired at WeChat before our clock says so) refetches once and retries once', async () => {
    const wx = client();
    const first = await wx.getAccessToken();
    wxNow = START + 7201_000; // WeChat's clock only: our cache still believes the token valid
    const before = wechat.calls;
    await expect(phone(wx)).resolves.toMatchObject({ countryCode: '86' });
    expect(delta(before)).toEqual({ stable_token: 1, token: 0, getuserphonenumber: 2 });
    expect(await wx.getAccessToken()).not.toBe(first);
  });

  it('on 40001 refetches once and retries once', async () => {
    const wx = client();
    const first = await wx.getAccessToken();
    wechat.invalidateAccessTokens();
    const before = wechat.calls;
    await expect(phone(wx)).resolves.toMatchObject({ countryCode: '86' });
    expect(delta(before)).toEqual({ stable_token: 1, token: 0, getuserphonenumber: 2 });
    expect(await wx.getAccessToken()).not.toBe(first);
  });

  it('on 40001 with many calls in flight still refetches once', async () => {
    const wx = client();
    await wx.getAccessToken();
    wechat.invalidateAccessTokens();
    const before = wechat.calls;
    await Promise.all(Array.from({ length: 6 }, (_, i) => phone(wx, `oInFlight${i}`)));
    expect(delta(before)).toEqual({ stable_token: 1, token: 0, getuserphonenumber: 12 });
  });

  it('force-refreshes a stable token that comes back identical after 40001', async () => {
    const wx = client();
    const first = await wx.getAccessToken();
    wechat.fail({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }, { api: 'getuserphonenumber', times: 1 });
    const before = wechat.calls;
    await expect(phone(wx)).resolves.toMatchObject({ countryCode: '86' });
    // the plain refetch returns the same stable token, so a forced one follows; the call is retried once
    expect(delta(before)).toEqual({ stable_token: 2, token: 0, getuserphonenumber: 2 });
    expect(await wx.getAccessToken()).not.toBe(first);
  });

  it('retries at most once: a second refusal is an upstream error carrying the errcode', async () => {
    const wx = client({ accessToken: 'classic' });
    await wx.getAccessToken();
    wechat.fail({ errcode: 40014 }, { api: 'getuserphonenumber', times: 2 });
    const before = wechat.calls;
    await expect(phone(wx)).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', errcode: 40014 });
    expect(delta(before)).toEqual({ stable_token: 0, token: 1, getuserphonenumber: 2 });
  });

  it("withAccessToken retries the app's own call once on 40001", async () => {
    const wx = client();
    const tokens: string[] = [];
    await wx.getAccessToken();
    wechat.invalidateAccessTokens();
    const result = await wx.withAccessToken(async (token) => {
      tokens.push(token);
      const res = await fetch(`${wechat.url}/wxa/checksession?access_token=${token}&openid=oNobody&signature=x&sig_method=hmac_sha256`);
      const body = (await res.json()) as { errcode: number; errmsg: string };
      if (body.errcode === 40001) throw new WechatApiError({ api: 'checksession', errcode: body.errcode, errmsg: body.errmsg });
      return body.errcode;
    });
    expect(result).toBe(87009);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});

describe('access token: upstream failures', () => {
  it('retries a busy (-1) token endpoint with backoff', async () => {
    const wx = client();
    wechat.fail('busy', { api: 'stable_token', times: 2 });
    await expect(wx.getAccessToken()).resolves.toMatch(/.+/);
    expect(wechat.calls.stable_token).toBe(3);
  });

  it('gives up after the bounded retries with 502 WECHAT_UPSTREAM_ERROR (errcode -1)', async () => {
    const wx = client({ retries: 1 });
    wechat.fail('busy', { api: 'stable_token' });
    await expect(wx.getAccessToken()).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', status: 502, errcode: -1 });
    expect(wechat.calls.stable_token).toBe(2);
  });

  it('retries a dropped connection', async () => {
    const wx = client();
    wechat.fail('reset', { api: 'stable_token', times: 1 });
    await expect(wx.getAccessToken()).resolves.toMatch(/.+/);
    expect(wechat.calls.stable_token).toBe(2);
  });

  it('never retries 45011 (rate limit): 429 WECHAT_RATE_LIMITED after one call', async () => {
    const wx = client();
    wechat.fail({ errcode: 45011, errmsg: 'api minute-quota reach limit mustslower retry next minute' }, { api: 'stable_token' });
    await expect(wx.getAccessToken()).rejects.toMatchObject({ code: 'WECHAT_RATE_LIMITED', status: 429, errcode: 45011, retryAfter: 60 });
    expect(wechat.calls.stable_token).toBe(1);
    wechat.heal();
    wechat.fail({ errcode: 45011 }, { api: 'getuserphonenumber' });
    await expect(phone(wx)).rejects.toMatchObject({ code: 'WECHAT_RATE_LIMITED', errcode: 45011 });
    expect(wechat.calls.getuserphonenumber).toBe(1);
  });

  it('answers 504 WECHAT_UPSTREAM_TIMEOUT when the token endpoint hangs', async () => {
    const wx = client({ timeout: 150 });
    wechat.fail('hang', { api: 'stable_token', times: 1 });
    await expect(wx.getAccessToken()).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_TIMEOUT', status: 504 });
    await expect(wx.getAccessToken()).resolves.toMatch(/.+/); // the next need starts a new fetch
  });

  it('reports a wrong AppSecret as 500 WECHAT_CONFIG_ERROR', async () => {
    const wx = client({ appSecret: 'not-the-secret' });
    await expect(wx.getAccessToken()).rejects.toMatchObject({ code: 'WECHAT_CONFIG_ERROR', status: 500, errcode: 40125 });
  });
});
