import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

let wechat: WechatStandIn;

beforeEach(async () => {
  wechat = await startWechatStandIn();
});
afterEach(() => wechat.close());

function exchange(code: string, signal?: AbortSignal): Promise<Response> {
  const query = new URLSearchParams({
    appid: wechat.appId,
    secret: wechat.appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  });
  return fetch(`${wechat.url}/sns/jscode2session?${query.toString()}`, signal ? { signal } : {});
}

function classicToken(): Promise<Response> {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret });
  return fetch(`${wechat.url}/cgi-bin/token?${query.toString()}`);
}

it('busy answers {"errcode":-1,"errmsg":"system error"} with HTTP 200 and leaves the code unused', async () => {
  const code = wechat.issueLoginCode();
  wechat.fail('busy', { times: 1 });
  const busy = await exchange(code);
  expect(busy.status).toBe(200);
  expect(await busy.text()).toBe('{"errcode":-1,"errmsg":"system error"}');
  expect(await (await exchange(code)).json()).toHaveProperty('session_key');
  expect(wechat.calls.jscode2session).toBe(2);
});

it('a fault limited to one API leaves the others alone, until heal()', async () => {
  wechat.fail({ errcode: 45011 }, { api: 'token' });
  const limited = (await (await classicToken()).json()) as { errcode: number; errmsg: string };
  expect(limited.errcode).toBe(45011);
  expect(limited.errmsg).toMatch(/^api minute-quota reach limit/);
  expect(((await (await classicToken()).json()) as { errcode: number }).errcode).toBe(45011);
  expect(await (await exchange(wechat.issueLoginCode())).json()).toHaveProperty('openid');
  wechat.heal();
  expect(await (await classicToken()).json()).toHaveProperty('access_token');
  expect(wechat.calls).toMatchObject({ token: 3, jscode2session: 1 });
});

it('an errcode fault with errmsg answers exactly that', async () => {
  wechat.fail({ errcode: 40226, errmsg: 'code blocked' }, { times: 1 });
  expect(await (await exchange('any')).json()).toEqual({ errcode: 40226, errmsg: 'code blocked' });
});

it('slow answers normally after the delay', async () => {
  wechat.fail('slow', { delayMs: 200, times: 1 });
  const started = Date.now();
  const response = await exchange(wechat.issueLoginCode());
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(await response.json()).toHaveProperty('session_key');
});

it('hang never answers: a 300 ms abort fires, and close() still resolves quickly', async () => {
  wechat.fail('hang');
  const started = Date.now();
  await expect(exchange(wechat.issueLoginCode(), AbortSignal.timeout(300))).rejects.toMatchObject({
    name: 'TimeoutError',
  });
  expect(Date.now() - started).toBeLessThan(1500);
  const pending = exchange(wechat.issueLoginCode()).then(
    () => 'answered',
    () => 'failed',
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = Date.now();
  await wechat.close();
  expect(Date.now() - closing).toBeLessThan(500);
  expect(await pending).toBe('failed');
});

it('garbage answers HTTP 200 with an HTML body', async () => {
  wechat.fail('garbage', { times: 1 });
  const response = await exchange(wechat.issueLoginCode());
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const text = await response.text();
  expect(() => JSON.parse(text) as unknown).toThrow();
});

it('http500 answers HTTP 500', async () => {
  wechat.fail('http500', { times: 1, api: 'jscode2session' });
  expect((await exchange(wechat.issueLoginCode())).status).toBe(500);
});

it('reset destroys the socket', async () => {
  wechat.fail('reset', { times: 2 });
  const socketClosed = { name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } };
  await expect(exchange(wechat.issueLoginCode())).rejects.toMatchObject(socketClosed);
  await expect(classicToken()).rejects.toMatchObject(socketClosed);
  expect(await (await classicToken()).json()).toHaveProperty('access_token');
  expect(wechat.calls).toMatchObject({ token: 2, jscode2session: 1 });
});

it('the newest fault wins and times counts down', async () => {
  wechat.fail('busy');
  wechat.fail('http500', { times: 1 });
  expect((await exchange('x')).status).toBe(500);
  expect(await (await exchange('x')).json()).toEqual({ errcode: -1, errmsg: 'system error' });
});

it('rejects a wrong fault with a TypeError', () => {
  expect(() => wechat.fail('explode' as never)).toThrow(TypeError);
  expect(() => wechat.fail('busy', { times: 0 })).toThrow(TypeError);
  expect(() => wechat.fail('busy', { api: 'nope' as never })).toThrow(TypeError);
  expect(() => wechat.fail('slow', { delayMs: -1 })).toThrow(TypeError);
});
