import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

/**
 * Four app processes share one Redis and the WeChat stand-in of this
 * process. Asked for phone numbers at the same moment, the fleet must fetch
 * the access token once (store lock + re-read), and once more after WeChat
 * refuses the token everywhere.
 */

const ROOT = join(__dirname, '..', '..');
const APP_SCRIPT = join(__dirname, 'app-process.ts');
const FLEET_SIZE = 4;
const READY_MS = 30_000; // generous for a loaded machine; a few seconds usually

interface App {
  child: ChildProcess;
  url: string;
  stderr: string[];
}

let wechat: WechatStandIn;
let apps: App[] = [];
const prefix = `fleet-${randomBytes(6).toString('hex')}:`;

/** Every child spawned, ready or not: all are stopped after the run, whatever happened. */
const spawned = new Set<ChildProcess>();

function startApp(): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', APP_SCRIPT], {
    cwd: ROOT,
    env: {
      ...process.env,
      WXS_PREFIX: prefix,
      WXS_API_BASE_URL: wechat.url,
      WXS_APP_ID: wechat.appId,
      WXS_APP_SECRET: wechat.appSecret,
    },
    stdio: ['pipe', 'pipe', 'pipe'], // the child exits when its stdin closes, even if this process dies
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app process not ready within ${READY_MS} ms: ${stderr.join('')}`)), READY_MS);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, stderr });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`app process exited (${String(code ?? signal)}): ${stderr.join('')}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function tokenFetches(): Promise<number[]> {
  const stats = await Promise.all(apps.map(async (app) => (await (await fetch(`${app.url}/stats`)).json()) as { tokenFetches: number }));
  return stats.map((s) => s.tokenFetches);
}

/** Log in one user per process (jscode2session needs no access token). */
function loginEach(): Promise<{ token: string; openid: string }[]> {
  return Promise.all(
    apps.map(async (app, i) => {
      const openid = `oFleetUser${i}`;
      const res = await post(`${app.url}/wechat/login`, { code: wechat.issueLoginCode({ openid }) });
      expect(res.status).toBe(200);
      return { token: res.body.token as string, openid };
    }),
  );
}

/** Every process asked for its user's phone number at the same moment. */
async function phonesAtOnce(users: { token: string; openid: string }[], round: number): Promise<void> {
  const bodies = users.map((u, i) => ({ code: wechat.issuePhoneCode(u.openid, `1390000${round}00${i}`) }));
  const answers = await Promise.all(apps.map((app, i) => post(`${app.url}/wechat/phone`, bodies[i], users[i]!.token)));
  answers.forEach((answer, i) => {
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ phoneNumber: `1390000${round}00${i}`, purePhoneNumber: `1390000${round}00${i}`, countryCode: '86' });
  });
}

beforeAll(async () => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is unset: run through jest (globalSetup starts redis-server)');
  wechat = await startWechatStandIn();
  const started = await Promise.allSettled(Array.from({ length: FLEET_SIZE }, () => startApp()));
  apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}, READY_MS + 10_000);

afterAll(async () => {
  await Promise.all([...spawned].map(stop));
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
