import { createDecipheriv } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

let wechat: WechatStandIn;

beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());
afterEach(() => wechat.heal());

async function control(path: string, body?: unknown, method = 'POST', origin?: string): Promise<Response> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...(origin && { origin }) } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${wechat.url}/__standin/${path}`, init);
}

async function controlJson(path: string, body?: unknown, method = 'POST'): Promise<Record<string, unknown>> {
  const response = await control(path, body, method);
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBeNull(); // a process, not a page: no CORS
  return (await response.json()) as Record<string, unknown>;
}

async function exchange(code: string): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({
    appid: wechat.appId,
    secret: wechat.appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  });
  return (await (await fetch(`${wechat.url}/sns/jscode2session?${query.toString()}`)).json()) as Record<string, unknown>;
}

describe('control endpoints', () => {
  it('login issues a code for a new or given user', async () => {
    const fresh = await controlJson('login', {});
    expect(fresh.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(await exchange(fresh.code as string)).toMatchObject({ openid: fresh.openid });
    const given = await controlJson('login', { openid: 'oControlUser', unionid: 'oUnionControl' });
    expect(given.openid).toBe('oControlUser');
    expect(await exchange(given.code as string)).toEqual({
      openid: 'oControlUser',
      unionid: 'oUnionControl',
      session_key: wechat.sessionKeyOf('oControlUser'),
    });
  });

  it('phone-code and encrypt-phone', async () => {
    const { openid } = await controlJson('login');
    const { code } = await controlJson('phone-code', { openid, phoneNumber: '13700000000' });
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    const sealed = await controlJson('encrypt-phone', { openid, phoneNumber: '13700000000' });
    const key = Buffer.from(wechat.sessionKeyOf(openid as string) as string, 'base64');
    const decipher = createDecipheriv('aes-128-cbc', key, Buffer.from(sealed.iv as string, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.encryptedData as string, 'base64')), decipher.final()]);
    expect(JSON.parse(plain.toString('utf8'))).toMatchObject({ phoneNumber: '13700000000', countryCode: '86' });
  });

  it('fail, heal and calls drive and report the WeChat endpoints', async () => {
    await controlJson('reset-calls');
    expect(await controlJson('fail', { mode: 'busy', api: 'jscode2session', times: 1 })).toEqual({ ok: true });
    expect(await exchange('whatever')).toEqual({ errcode: -1, errmsg: 'system error' });
    await controlJson('fail', { mode: { errcode: 45011 } });
    expect((await exchange('whatever')).errcode).toBe(45011);
    await controlJson('heal');
    expect((await exchange('whatever')).errcode).toBe(40029);
    expect(await controlJson('calls', undefined, 'GET')).toEqual({
      jscode2session: 3,
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

  it.each(['http://127.0.0.1:9999', 'http://localhost:3000', 'http://[::1]:8080', 'http://127.0.0.2'])(
    'answers CORS preflights from the loopback page %s with its own origin',
    async (origin) => {
      const response = await fetch(`${wechat.url}/__standin/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')).toContain('Origin');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    },
  );

  it('answers bad control requests with 4xx and CORS headers', async () => {
    const cases: [string, unknown, string, number][] = [
      ['phone-code', {}, 'POST', 400],
      ['encrypt-phone', { openid: 'oNeverSeen' }, 'POST', 400],
      ['login', 'not json', 'POST', 400],
      ['fail', { mode: 'explode' }, 'POST', 400],
      ['fail', { mode: 'busy', times: 'many' }, 'POST', 400],
      ['nope', {}, 'POST', 404],
      ['calls', {}, 'POST', 405],
      ['constructor', undefined, 'GET', 404],
    ];
    for (const [path, body, method, status] of cases) {
      const response = await control(path, body, method, 'http://localhost:5173');
      expect([path, response.status]).toEqual([path, status]);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
  });

  const FOREIGN = [
    'https://evil.example',
    'null',
    'http://127.0.0.1.evil.example',
    'http://localhost.evil.example:3000',
    'http://192.168.1.20:3000',
    'file://',
  ];

  it.each(FOREIGN)('refuses a page at %s with 403 and no CORS: no login is minted, no fault set', async (origin) => {
    const login = await control('login', { openid: 'oForeignPage' }, 'POST', origin);
    expect(login.status).toBe(403);
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
    expect(wechat.sessionKeyOf('oForeignPage')).toBeUndefined();
    expect((await control('fail', { mode: 'busy' }, 'POST', origin)).status).toBe(403);
    expect(await exchange(wechat.issueLoginCode())).toHaveProperty('session_key');
    const preflight = await fetch(`${wechat.url}/__standin/login`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('robustness', () => {
  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`${wechat.url}/cgi-bin/unknown`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errcode: number }).errcode).toBe(-1);
  });

  it('answers bodies over 64 KiB with 413, counted, and keeps serving', async () => {
    wechat.resetCalls();
    const big = JSON.stringify({ grant_type: 'client_credential', pad: 'x'.repeat(70 * 1024) });
    const response = await fetch(`${wechat.url}/cgi-bin/stable_token`, { method: 'POST', body: big });
    expect(response.status).toBe(413);
    expect((await control('login', big)).status).toBe(413);
    expect(wechat.calls.stable_token).toBe(1);
    expect((await controlJson('login')).code).toEqual(expect.any(String));
  });

  it('survives a chunked body that grows past the limit and a malformed request line', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${wechat.url}/wxa/business/getuserphonenumber`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i += 1) req.write('y'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
    await new Promise<void>((resolve) => {
      const { port } = new URL(wechat.url);
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GARBAGE \x00\x01 nonsense\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    const weird = await fetch(`${wechat.url}/sns/jscode2session?appid=%E0%A4%A&js_code[]=1`);
    expect(((await weird.json()) as { errcode: number }).errcode).toBe(40013);
    expect((await controlJson('info', undefined, 'GET')).appId).toBe(wechat.appId);
  });
});
