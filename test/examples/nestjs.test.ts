/**
 * The NestJS example, compiled with its own tsconfig (as `nest build` does)
 * and started as a user starts it: login through the WeChat stand-in, the
 * guarded route, and the library's own answers through the guard and the
 * filter — a missing, bad or ended token, a bad login, a store that is down.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { waitUntil } from '../support/probes.js';
import { call, lifecycle, login, newOpenid, refused } from './calls.js';
import { ROOT, requireBuild, startExample, type RunningExample } from './run-example.js';

jest.setTimeout(40_000);

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let wechat: WechatStandIn;
let wechatEnv: Record<string, string>;

beforeAll(async () => {
  requireBuild();
  const tsc = spawnSync(process.execPath, [TSC, '-p', 'examples/nestjs/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`examples/nestjs does not compile:\n${tsc.stdout}${tsc.stderr}`);
  wechat = await startWechatStandIn();
  wechatEnv = { WECHAT_APP_ID: wechat.appId, WECHAT_APP_SECRET: wechat.appSecret, WECHAT_API_BASE_URL: wechat.url };
}, 120_000);
afterAll(() => wechat?.close());

/** GET /api/me with this Authorization header (none when undefined): status, the headers that matter, the error code. */
async function me(url: string, authorization?: string) {
  const res = await fetch(`${url}/api/me`, { headers: authorization === undefined ? {} : { authorization } });
  const body = await res.json();
  return {
    status: res.status,
    code: body.error?.code,
    wwwAuthenticate: res.headers.get('www-authenticate'),
    cacheControl: res.headers.get('cache-control'),
    retryAfter: res.headers.get('retry-after'),
  };
}

describe('nestjs example', () => {
  let app: RunningExample;

  beforeAll(async () => {
    app = await startExample('examples/nestjs/dist/main.mjs', wechatEnv);
  });
  afterAll(() => app?.stop());

  it('logs in, serves the guarded route with the user from @WechatUser(), logs out', () => lifecycle(wechat, app.url));

  it.each([
    ['no token', undefined, 'WECHAT_SESSION_REQUIRED'],
    ['another scheme', 'Basic b3BlbmlkOnRva2Vu', 'WECHAT_SESSION_REQUIRED'],
    ['a malformed token', 'Bearer not-a-token', 'WECHAT_SESSION_INVALID'],
    ['a well-formed token no one issued', `Bearer ${'Q'.repeat(32)}`, 'WECHAT_SESSION_INVALID'],
  ])('refuses %s with the library 401 (code, WWW-Authenticate), not a Nest answer', async (_what, authorization, code) => {
    expect(await me(app.url, authorization)).toMatchObject({ status: 401, code, wwwAuthenticate: 'Bearer', cacheControl: 'no-store' });
  });

  it('answers the router errors as the library does', async () => {
    const unknownCode = await call(app.url, '/wechat/login', { method: 'POST', body: { code: 'never-issued' } });
    expect(unknownCode).toMatchObject(refused('WECHAT_CODE_INVALID'));
    const noCode = await call(app.url, '/wechat/login', { method: 'POST', body: {} });
    expect(noCode).toMatchObject({ status: 400, body: { error: { code: 'WECHAT_BAD_REQUEST', field: 'code' } } });
    expect(await call(app.url, '/wechat/login')).toMatchObject({ status: 405, body: { error: { code: 'WECHAT_METHOD_NOT_ALLOWED' } } });
  });
});

describe('nestjs example with its store down', () => {
  let app: RunningExample;

  beforeAll(async () => {
    app = await startExample('test/examples/nestjs-store-down.mjs', wechatEnv);
  });
  afterAll(() => app?.stop());

  it('fails closed: a valid token is answered 503 WECHAT_STORE_UNAVAILABLE, never let through, never a Nest 500', async () => {
    const openid = newOpenid();
    const token = await login(wechat, app.url, openid);
    expect(await call(app.url, '/api/me', { token })).toMatchObject({ status: 200, body: { openid } });

    process.kill(app.pid, 'SIGUSR2');
    await waitUntil('the store to go down', async () => app.output().includes('store down'));

    expect(await me(app.url, `Bearer ${token}`)).toMatchObject({ status: 503, code: 'WECHAT_STORE_UNAVAILABLE', retryAfter: '1' });
    const loginNow = await call(app.url, '/wechat/login', { method: 'POST', body: { code: wechat.issueLoginCode({ openid }) } });
    expect(loginNow).toMatchObject({ status: 503, body: { error: { code: 'WECHAT_STORE_UNAVAILABLE' } } });
    expect(await me(app.url)).toMatchObject({ status: 401, code: 'WECHAT_SESSION_REQUIRED' });
  });
});
