import { createClient } from 'redis';
import { redisStore, type RedisWechatStore } from '../../adapters/redis.js';
import { revokeWechatSessions } from '../../src/index.js';
import { startFaultBackend, type FaultBackend } from '../stores/fault-backend.js';
import { RECOMMENDED_REDIS } from '../store-e2e/fault-cases.js';
import { between, durations, outcome, startTraffic, stopAllTraffic, type Login } from '../store-e2e/traffic.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startSilentProxy, type SilentProxy } from './silent-proxy.js';

afterEach(() => stopAllTraffic());

/**
 * Client-side caching fails closed. A stalled Redis (SIGSTOP) or a silent
 * network path stops cached sessions from being trusted within
 * `maxStaleness`, then requests answer 503; a killed Redis drops the cache
 * at once; a session revoked during a partition is refused once the path
 * heals. Private servers only.
 */

const STORE_TIMEOUT = 300;
const MAX_STALENESS = 200;
/** Room for a loaded 2-core machine: signals, socket events and timers run a little late. */
const SLACK = 100;
const BOUND_MS = STORE_TIMEOUT + 700;
const USERS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report: string[] = [];
const ignore = (): void => undefined;

afterAll(() => {
  if (report.length > 0) console.log(report.join('\n'));
});

async function cachingClient(url: string, settings: object) {
  const client = createClient({ url, RESP: 3, clientSideCache: { maxEntries: 1000 }, ...settings });
  client.on('error', ignore);
  await client.connect();
  return client;
}

async function until(what: string, check: () => Promise<boolean>, ms = 8000): Promise<number> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
  return Date.now();
}

const SETTINGS = [
  ['recommended settings', RECOMMENDED_REDIS],
  ['default settings', {}],
] as const;

describe.each(SETTINGS)('client-side caching, %s: store outages', (name, settings) => {
  let servers: FaultBackend;
  let client: Awaited<ReturnType<typeof cachingClient>>;
  let store: RedisWechatStore;
  let app: Harness;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    servers = await startFaultBackend('redis');
    client = await cachingClient(servers.backend.redisUrl, settings);
    store = redisStore({ client, maxStaleness: MAX_STALENESS });
    app = await startHarness({ store, storeTimeout: STORE_TIMEOUT });
  }, 30_000);
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await app?.close();
    client?.destroy();
    await servers?.stop();
  });

  test('stalled, then killed: cached sessions stop resolving within maxStaleness, 503s are bounded, then it recovers', async () => {
    let logins: Login[] = await Promise.all(
      Array.from({ length: USERS }, async () => {
        const { token, openid } = await app.login();
        return { token, openid };
      }),
    );
    const traffic = startTraffic(app, () => logins);
    await sleep(300);
    // The traffic is served from the cache.
    expect(client.clientSideCache!.stats().hitCount).toBeGreaterThan(USERS);

    const pausedAt = Date.now();
    await servers.pause();
    await sleep(1200);
    const resumedAt = Date.now();
    servers.resume();
    const resumed = await until('200 after SIGCONT', async () => (await app.get('/api/me', logins[0]!.token)).status === 200);
    await sleep(300);

    const killedAt = Date.now();
    await servers.kill();
    await sleep(800);
    const restartAt = Date.now();
    await servers.restart();
    await until('a login after the restart', async () => Boolean(await app.login()));
    logins = await Promise.all(
      Array.from({ length: USERS }, async () => {
        const { token, openid } = await app.login();
        return { token, openid };
      }),
    );
    await sleep(300);
    await traffic.stop();

    const { samples } = traffic;
    const trusted = pausedAt + MAX_STALENESS + SLACK;
    const stalled = between(samples, trusted, resumedAt);
    const dead = between(samples, killedAt + SLACK, restartAt);
    expect(rejections).toEqual([]);
    expect(
      between(samples, 0, pausedAt)
        .map(outcome)
        .every((o) => o === '200'),
    ).toBe(true);
    expect(between(samples, pausedAt, trusted).every((s) => ['200', '503 WECHAT_STORE_UNAVAILABLE'].includes(outcome(s)))).toBe(true);
    expect(stalled.length).toBeGreaterThanOrEqual(USERS);
    expect([...new Set(stalled.map(outcome))]).toEqual(['503 WECHAT_STORE_UNAVAILABLE']);
    expect(
      between(samples, resumed, killedAt)
        .map(outcome)
        .every((o) => o === '200'),
    ).toBe(true);
    expect(dead.length).toBeGreaterThanOrEqual(USERS);
    expect([...new Set(dead.map(outcome))]).toEqual(['503 WECHAT_STORE_UNAVAILABLE']);
    const fresh = new Set(logins.map((l) => l.token));
    expect(samples.filter((s) => fresh.has(s.token)).every((s) => s.status === 200)).toBe(true);
    expect(durations(samples).max).toBeLessThanOrEqual(BOUND_MS);
    const last200 = Math.max(
      0,
      ...between(samples, pausedAt, resumedAt)
        .filter((s) => s.status === 200)
        .map((s) => s.start - pausedAt),
    );
    report.push(
      `${name}: ${samples.length} requests; stalled: last cached 200 sent ${last200} ms after SIGSTOP (bound ${MAX_STALENESS} ms), ` +
        `then ${stalled.length} x 503 (max ${durations(stalled).max} ms); killed: ${dead.length} x 503 (max ${durations(dead).max} ms)`,
    );
  }, 40_000);
});

describe('client-side caching behind a silent network path', () => {
  let servers: FaultBackend;
  let proxy: SilentProxy;
  let client: Awaited<ReturnType<typeof cachingClient>>;
  let admin: Awaited<ReturnType<typeof cachingClient>>;
  let app: Harness;

  beforeAll(async () => {
    servers = await startFaultBackend('redis');
    proxy = await startSilentProxy(servers.backend.redisUrl.replace('redis://', ''));
    client = await cachingClient(`redis://${proxy.address}`, RECOMMENDED_REDIS);
    admin = await cachingClient(servers.backend.redisUrl, {});
    app = await startHarness({ store: redisStore({ client, maxStaleness: MAX_STALENESS }), storeTimeout: STORE_TIMEOUT });
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    client?.destroy();
    admin?.destroy();
    await proxy?.close();
    await servers?.stop();
  });

  test('a session revoked elsewhere during a partition is not accepted past maxStaleness, and is refused once the path heals', async () => {
    const { token, openid } = await app.login();
    expect((await app.get('/api/me', token)).status).toBe(200);
    expect((await app.get('/api/me', token)).status).toBe(200);
    proxy.silence();
    const silencedAt = Date.now();
    // Another process, with its own path to Redis, revokes the session.
    const elsewhere = { ...app.options, store: redisStore({ client: admin }) };
    expect(await revokeWechatSessions(elsewhere, openid)).toBe(1);
    const traffic = startTraffic(app, () => [{ token, openid }], 3);
    await sleep(MAX_STALENESS + STORE_TIMEOUT + 300);
    await traffic.stop();
    const late = traffic.samples.filter((s) => s.start >= silencedAt + MAX_STALENESS + SLACK);
    expect(late.length).toBeGreaterThan(0);
    expect([...new Set(late.map(outcome))]).toEqual(['503 WECHAT_STORE_UNAVAILABLE']);
    const accepted = traffic.samples.filter((s) => s.status === 200).map((s) => s.start - silencedAt);
    expect(Math.max(0, ...accepted)).toBeLessThanOrEqual(MAX_STALENESS + SLACK);

    proxy.heal();
    const refused = await app.get('/api/me', token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('WECHAT_SESSION_INVALID');
    report.push(
      `silent path: revoked session accepted from cache until ${Math.max(0, ...accepted)} ms into the partition (bound ${MAX_STALENESS} ms), ` +
        `then ${late.length} x 503; refused (401) once healed`,
    );
  }, 20_000);
});
