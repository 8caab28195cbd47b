import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { APP_SERVER, standInEnv, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Four app processes share one Redis and the WeChat stand-in of this
 * process. Asked for phone numbers at the same moment, the fleet must fetch
 * the access token once (store lock + re-read), and once more after WeChat
 * refuses the token everywhere.
 */

const FLEET_SIZE = 4;
const READY_MS = 30_000; // generous for a loaded machine; a few seconds usually

let wechat: WechatStandIn;
let apps: AppProcess[] = [];
const prefix = `fleet-${randomBytes(6).toString('hex')}:`;

/** Every process started, ready or not: all are stopped after the run, whatever happened. */
const started: Promise<AppProcess>[] = [];

function startApp(): Promise<AppProcess> {
  const app = startAppProcess(APP_SERVER, { env: { ...standInEnv(wechat), WXS_PREFIX: prefix, WXS_STORE_SERVERS: process.env.REDIS_URL! }, readyMs: READY_MS });
  started.push(app);
  return app;
}

async function tokenFetches(): Promise<number[]> {
  const stats = await Promise.all(apps.map(async (app) => (await app.call('GET', '/__stats')).body as { tokenFetches: number }));
  return stats.map((s) => s.tokenFetches);
}

/** Log in one user per process (jscode2session needs no access token). */
function loginEach(): Promise<{ token: string; openid: string }[]> {
  return Promise.all(
    apps.map(async (app, i) => {
      const openid = `oFleetUser${i}`;
      const res = await app.call('POST', '/wechat/login', undefined, { code: wechat.issueLoginCode({ openid }) });
      expect(res.status).toBe(200);
      return { token: res.body.token as string, openid };
    }),
  );
}

/** Every process asked for its user's phone number at the same moment. */
async function phonesAtOnce(users: { token: string; openid: string }[], round: number): Promise<void> {
  const bodies = users.map((u, i) => ({ code: wechat.issuePhoneCode(u.openid, `1390000${round}00${i}`) }));
  const answers = await Promise.all(apps.map((app, i) => app.call('POST', '/wechat/phone', users[i]!.token, bodies[i])));
  answers.forEach((answer, i) => {
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ phoneNumber: `1390000${round}00${i}`, purePhoneNumber: `1390000${round}00${i}`, countryCode: '86' });
  });
}

beforeAll(async () => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is unset: run through jest (globalSetup starts redis-server)');
  wechat = await startWechatStandIn();
  const ready = await Promise.allSettled(Array.from({ length: FLEET_SIZE }, () => startApp()));
  apps = ready.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = ready.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}, READY_MS + 10_000);

afterAll(async () => {
  await Promise.all(
    started.map((app) =>
      app.then(
        (a) => a.stop(),
        () => undefined,
      ),
    ),
  );
  await wechat?.close();
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  await redis.quit();
});

it('four processes asked for a phone number at once fetch the access token once', async () => {
  const users = await loginEach();
  expect(wechat.calls.stable_token).toBe(0);
  wechat.fail('slow', { api: 'stable_token', delayMs: 300, times: 1 }); // a slow WeChat widens the race
  await phonesAtOnce(users, 1);
  expect(wechat.calls.stable_token).toBe(1);
  expect(wechat.calls.getuserphonenumber).toBe(FLEET_SIZE);
  const fetches = await tokenFetches();
  expect(fetches.reduce((a, b) => a + b, 0)).toBe(1);

  await phonesAtOnce(users, 2); // cached in every process now
  expect(wechat.calls.stable_token).toBe(1);

  wechat.invalidateAccessTokens(); // WeChat refuses the fleet's token (40001) everywhere
  await phonesAtOnce(users, 3);
  expect(wechat.calls.stable_token).toBe(2);
  expect(wechat.calls.getuserphonenumber).toBe(FLEET_SIZE * 4); // rounds 1 and 2, then a refused call and a retry each
  expect((await tokenFetches()).reduce((a, b) => a + b, 0)).toBe(2);
});
