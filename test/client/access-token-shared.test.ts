import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { memoryStore } from '../../adapters/memory.js';
import { redisStore } from '../../adapters/redis.js';
import { createWechatClient, type WechatClient } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

/** Two clients on one Redis stand for two app processes sharing it. */
let redis: ReturnType<typeof createClient>;
let wechat: WechatStandIn;
let prefix: string;

beforeAll(async () => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is unset: run through jest (globalSetup starts redis-server)');
  redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
});
afterAll(() => redis.quit());

beforeEach(async () => {
  prefix = `at-test-${randomBytes(6).toString('hex')}:`;
  wechat = await startWechatStandIn();
});
afterEach(async () => {
  await wechat.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
});

function processClient(): WechatClient {
  return createWechatClient({
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    store: redisStore({ client: redis, prefix }),
    retryDelay: 5,
    logger: false,
  });
}

const tokenKey = () => `${prefix}${wechat.appId}:at:stable`;
const lockKey = () => `${tokenKey()}:lock`;
const sharedToken = async () => (JSON.parse((await redis.get(tokenKey()))!) as { t: string }).t;
const phone = (wx: WechatClient, openid = 'oShared') => wx.getPhoneNumber(wechat.issuePhoneCode(openid));

it('fetches once for concurrent needs of two processes, and releases its lock', async () => {
  const a = processClient();
  const b = processClient();
  const tokens = await Promise.all([...Array.from({ length: 5 }, () => a.getAccessToken()), ...Array.from({ length: 5 }, () => b.getAccessToken())]);
  expect(new Set(tokens).size).toBe(1);
  expect(wechat.calls.stable_token).toBe(1);
  expect(a.accessTokenFetches + b.accessTokenFetches).toBe(1);
  expect(await redis.exists(lockKey())).toBe(0);
  const ttl = await redis.ttl(tokenKey());
  expect(ttl).toBeGreaterThan(6800);
  expect(ttl).toBeLessThanOrEqual(6900);
});

it('waits for the process holding the lock and reads what it wrote', async () => {
  const holder = processClient();
  const waiter = processClient();
  wechat.fail('slow', { api: 'stable_token', delayMs: 400, times: 1 });
  const held = holder.getAccessToken();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await redis.exists(lockKey())).toBe(1);
  const waited = await waiter.getAccessToken();
  expect(waited).toBe(await held);
  expect(waiter.accessTokenFetches).toBe(0);
  expect(wechat.calls.stable_token).toBe(1);
});

it("never releases another process's lock, and re-reads the store while waiting", async () => {
  await redis.set(lockKey(), 'owner-in-another-process', { EX: 30 });
  const waiter = processClient();
  const pending = waiter.getAccessToken();
  await new Promise((resolve) => setTimeout(resolve, 150));
  // the other process finishes its fetch and shares the token (its own store write, copied here)
  const elsewhere = memoryStore();
  const other = createWechatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, store: elsewhere, logger: false });
  const token = await other.getAccessToken();
  await redis.set(tokenKey(), (await elsewhere.get(`${wechat.appId}:at:stable`))!, { EX: 600 });
  expect(await pending).toBe(token);
  expect(waiter.accessTokenFetches).toBe(0);
  expect(await redis.get(lockKey())).toBe('owner-in-another-process');
});

it('does not drop a token that another process already replaced', async () => {
  const a = processClient();
  const b = processClient();
  const t1 = await a.getAccessToken();
  expect(await b.getAccessToken()).toBe(t1);
  wechat.invalidateAccessTokens();
  await phone(b); // b meets 40001 first and replaces the shared token
  const t2 = await sharedToken();
  expect(t2).not.toBe(t1);
  expect(wechat.calls.stable_token).toBe(2);
  await phone(a); // a still holds t1 in memory: 40001, then it must take t2, not drop it
  expect(wechat.calls.stable_token).toBe(2);
  expect(await sharedToken()).toBe(t2);
  expect(await a.getAccessToken()).toBe(t2);
  expect(wechat.calls.getuserphonenumber).toBe(4); // each process: one refused call, one retry
});

it('refetches once when two processes meet 40001 at the same time', async () => {
  const a = processClient();
  const b = processClient();
  await Promise.all([a.getAccessToken(), b.getAccessToken()]);
  wechat.invalidateAccessTokens();
  await Promise.all([phone(a, 'oA1'), phone(b, 'oB1'), phone(a, 'oA2'), phone(b, 'oB2')]);
  expect(wechat.calls.stable_token).toBe(2);
  expect(await a.getAccessToken()).toBe(await b.getAccessToken());
});
