import { randomBytes } from 'node:crypto';
import { revokeWechatSessions, type WechatSessionOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { backendFromEnv, storeCase, type StoreHandle } from '../stores/store-cases.js';
import { APP_SERVER, callJson, standInEnv, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Two app processes behind one store (as behind a load balancer): a session
 * made on one is honoured, changed and ended on the other. The WeChat
 * stand-in runs in the test process.
 */

const backend = backendFromEnv();
const FLEETS = [
  { name: 'one Redis', store: 'redis', servers: backend.redisUrl, admin: storeCase('redis, node-redis 6, single node') },
  { name: 'one memcached pair', store: 'memcached', servers: backend.memcachedServers.join(','), admin: storeCase('memcached, memjs, two servers') },
] as const;

describe.each(FLEETS.map((f) => [f.name, f] as const))('two app processes sharing %s', (_name, fleet) => {
  const prefix = `fleet-${randomBytes(4).toString('hex')}:`;
  let wechat: WechatStandIn;
  let one: AppProcess;
  let two: AppProcess;
  let admin: StoreHandle;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    const env = {
      ...standInEnv(wechat),
      WXS_STORE: fleet.store,
      WXS_STORE_SERVERS: fleet.servers,
      WXS_PREFIX: prefix,
    };
    [one, two] = await Promise.all([startAppProcess(APP_SERVER, { env }), startAppProcess(APP_SERVER, { env })]);
    admin = await fleet.admin.open(backend, prefix);
  }, 45_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await admin?.close();
    await wechat?.close();
  });

  const login = async (app: AppProcess, openid: string) => {
    const res = await callJson(`${app.url}/wechat/login`, 'POST', undefined, { code: wechat.issueLoginCode({ openid }) });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };
  const me = (app: AppProcess, token: string) => callJson(`${app.url}/api/me`, 'GET', token);
  const openid = () => `ofleet${randomBytes(6).toString('hex')}`;

  test('they are two processes', () => {
    expect(one.pid).not.toBe(two.pid);
    expect(one.pid).not.toBe(process.pid);
  });

  test('log in on one, use the token and save data on the other; log out on the other, the first refuses it', async () => {
    const user = openid();
    const token = await login(one, user);
    const onTwo = await me(two, token);
    expect(onTwo.status).toBe(200);
    expect(onTwo.body).toMatchObject({ openid: user, pid: two.pid });
    expect((await callJson(`${two.url}/api/data`, 'POST', token, { userId: 7 })).status).toBe(200);
    expect((await me(one, token)).body).toMatchObject({ openid: user, data: { userId: 7 }, pid: one.pid });

    expect((await callJson(`${two.url}/wechat/logout`, 'POST', token)).status).toBe(204);
    const onOne = await me(one, token);
    expect(onOne.status).toBe(401);
    expect(onOne.body.error.code).toBe('WECHAT_SESSION_INVALID');
    expect((await me(two, token)).status).toBe(401);
  });

  test('a new login on one process ends the session the other process handed out', async () => {
    const user = openid();
    const first = await login(one, user);
    const second = await login(two, user);
    expect((await me(one, first)).status).toBe(401);
    expect((await me(two, first)).status).toBe(401);
    expect((await me(one, second)).status).toBe(200);
  });

  test('revokeWechatSessions from a third process ends the sessions both apps see', async () => {
    const user = openid();
    const token = await login(two, user);
    expect((await me(one, token)).status).toBe(200);
    const options: WechatSessionOptions = { appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, store: admin.store };
    expect(await revokeWechatSessions(options, user)).toBe(1);
    expect((await me(one, token)).status).toBe(401);
    expect((await me(two, token)).status).toBe(401);
  });
});
