/**
 * Every server example, started as a user starts it (`node examples/…`), on
 * the suite's Redis, Redis Cluster and memcached, against a WeChat stand-in:
 * login, protected route, logout; sessions outliving an app restart where
 * the store is shared; two processes sharing one Redis; the login rate limit.
 */
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { call, lifecycle, login as loginWith, newOpenid, refused } from './calls.js';
import { requireBuild, startExample, type RunningExample } from './run-example.js';

jest.setTimeout(40_000);

let wechat: WechatStandIn;
let wechatEnv: Record<string, string>;

beforeAll(async () => {
  requireBuild();
  wechat = await startWechatStandIn();
  wechatEnv = { WECHAT_APP_ID: wechat.appId, WECHAT_APP_SECRET: wechat.appSecret, WECHAT_API_BASE_URL: wechat.url };
});
afterAll(() => wechat?.close());

const login = (url: string, openid: string, code?: string) => loginWith(wechat, url, openid, code);

const STORES: [name: string, script: string, env: () => Record<string, string>, shared: boolean][] = [
  ['memory', 'examples/memory/server.mjs', () => ({}), false],
  ['redis', 'examples/redis/server.mjs', () => ({ REDIS_URL: process.env.REDIS_URL! }), true],
  ['redis cluster', 'examples/redis/server.mjs', () => ({ REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES! }), true],
  ['memcached', 'examples/memcached/server.mjs', () => ({ MEMCACHED_SERVERS: process.env.MEMCACHED_SERVERS! }), true],
  ['connect-redis', 'examples/connect-redis/server.mjs', () => ({ REDIS_URL: process.env.REDIS_URL! }), true],
];

describe.each(STORES)('%s example', (_name, script, env, shared) => {
  let app: RunningExample;
  const start = () => startExample(script, { ...wechatEnv, ...env() });

  beforeAll(async () => {
    app = await start();
  });
  afterAll(() => app?.stop());

  it('logs in, serves the protected route, logs out', () => lifecycle(wechat, app.url));

  it(shared ? 'keeps sessions across an app restart' : 'loses sessions with the process (memory)', async () => {
    const openid = newOpenid();
    const token = await login(app.url, openid);
    await app.stop();
    app = await start();
    const expected = shared ? { status: 200, body: { openid } } : refused('WECHAT_SESSION_INVALID');
    expect(await call(app.url, '/api/me', { token })).toMatchObject(expected);
  });
});

describe('an example without WeChat credentials', () => {
  it('starts its own WeChat stand-in and logs in through it', async () => {
    const app = await startExample('examples/memory/server.mjs');
    try {
      const standInUrl = /local WeChat stand-in at (http:\/\/\S+)/.exec(app.output())![1];
      const openid = newOpenid();
      const issued = await call(standInUrl, '/__standin/login', { method: 'POST', body: { openid } });
      expect(issued.status).toBe(200);
      await login(app.url, openid, issued.body.code);
    } finally {
      await app.stop();
    }
  });
});

describe('two-processes example', () => {
  let pair: RunningExample;

  beforeAll(async () => {
    pair = await startExample('examples/two-processes/start.mjs', { ...wechatEnv, REDIS_URL: process.env.REDIS_URL! }, 2);
  });
  afterAll(() => pair?.stop());

  it('a token from process A works on B; a logout on B is seen by A', async () => {
    const [a, b] = pair.urls;
    expect(a).not.toBe(b);
    const openid = newOpenid();
    const token = await login(a, openid);
    const servedBy = async (url: string) => (await call(url, '/api/me', { token })).body.servedBy;
    expect([await servedBy(a), await servedBy(b)].sort()).toEqual(['A', 'B']);
    expect(await call(b, '/wechat/logout', { method: 'POST', token })).toMatchObject({ status: 204 });
    expect(await call(a, '/api/me', { token })).toMatchObject(refused('WECHAT_SESSION_INVALID'));
  });

  it('stops both processes with the launcher', async () => {
    await pair.stop();
    const stillUp = await Promise.all(
      pair.urls.map((url) =>
        fetch(`${url}/api/me`).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(stillUp).toEqual([false, false]);
  });
});

describe('rate-limit example', () => {
  let app: RunningExample;

  beforeAll(async () => {
    app = await startExample('examples/rate-limit/server.mjs', { ...wechatEnv, LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => app?.stop());

  it('runs the lifecycle, then refuses logins over the limit before they reach WeChat', async () => {
    await lifecycle(wechat, app.url); // login 1 of 3
    const openid = newOpenid();
    await login(app.url, newOpenid()); // 2
    const token = await login(app.url, openid); // 3
    const exchanges = wechat.calls.jscode2session;
    const over = await call(app.url, '/wechat/login', { method: 'POST', body: { code: wechat.issueLoginCode({ openid }) } });
    expect(over).toMatchObject({ status: 429, body: { error: { code: 'LOGIN_RATE_LIMITED' } } });
    expect(wechat.calls.jscode2session).toBe(exchanges);
    expect(await call(app.url, '/api/me', { token })).toMatchObject({ status: 200, body: { openid } }); // other routes are not limited
  });
});
